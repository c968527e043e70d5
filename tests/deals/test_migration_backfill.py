"""Migration 0007 on a store that already has deals and coach reports: every deal gets one
history row at its creation, every report its id columns from the stored JSON."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text

import dealscout.core.db as db
from dealscout.core.config import get_settings

REPORT = (
    '{"stage": "qualify", "criteria": [{"id": "budget", "status": "met"}, '
    '{"id": "pain", "status": "contradicted"}, {"id": "timeline", "status": "missing"}], '
    '"missing": ["timeline", "next_step"], "objections": [{"category": "price"}]}'
)


def _alembic(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(db.__file__).resolve().parent.parent / "migrations")
    )
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def _insert(conn: Connection, table: str, **values: object) -> None:
    columns = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES (:{', :'.join(values)})"), values)


def test_upgrade_backfills_history_and_report_columns() -> None:
    url = get_settings().sqlalchemy_url
    command.upgrade(_alembic(url), "0008")
    engine = create_engine(url)
    day, moment = "2026-02-04 00:00:00", "2026-02-03 04:05:06"
    with engine.begin() as conn:
        _insert(
            conn, "workspaces", id=1, name="w", profile="{}", queue_weights="{}", created_at=day
        )
        _insert(
            conn,
            "accounts",
            id=1,
            workspace_id=1,
            name="A",
            aliases="[]",
            created_at=day,
            updated_at=day,
        )
        _insert(
            conn,
            "deals",
            id=7,
            workspace_id=1,
            account_id=1,
            name="D",
            stage="discover",
            currency="USD",
            contacts="[]",
            created_at=moment,
            updated_at=moment,
        )
        _insert(
            conn,
            "notes",
            id=1,
            workspace_id=1,
            deal_id=7,
            stage="qualify",
            text="n",
            created_at=day,
        )
        _insert(
            conn,
            "coach_reports",
            id=1,
            workspace_id=1,
            deal_id=7,
            note_id=1,
            stage="qualify",
            engine="rules",
            verdict="hold",
            process_name="default",
            process_version="1",
            risk_count=0,
            report=REPORT,
            created_at=day,
        )
    command.upgrade(_alembic(url), "head")
    with engine.connect() as conn:
        history = conn.execute(
            text("SELECT deal_id, from_stage, to_stage, changed_at, source FROM stage_changes")
        ).all()
        tags = conn.execute(
            text("SELECT met_ids, contradicted_ids, missing_ids, objection_ids FROM coach_reports")
        ).one()
    engine.dispose()
    assert [(h[0], h[1], h[2], str(h[3])[:19], h[4]) for h in history] == [
        (7, None, "discover", "2026-02-03 04:05:06", "migration")]  # fmt: skip
    assert tuple(tags) == ("budget", "pain", "timeline next_step", "price")
