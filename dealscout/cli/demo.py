"""``dealscout demo``: load the fictional demo workspace from ``examples/``.

The demo's dates are written relative to the day it is loaded (``DAYS_AGO(n)`` and
``DAYS_AHEAD(n)`` in the files), so its signals are always recent.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import typer
import yaml

from dealscout.accounts import auth, csv_import, service
from dealscout.accounts.schemas import UserCreate
from dealscout.cli.app import app
from dealscout.cli.context import CliStore, open_store
from dealscout.cli.output import fail, progress
from dealscout.core.db import utcnow
from dealscout.core.lock import StoreLock
from dealscout.deals import service as deals
from dealscout.deals.models import Deal
from dealscout.deals.schemas import Contact, DealCreate
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import service as ingestion

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_RELATIVE = re.compile(r"DAYS_(AGO|AHEAD)\((\d+)\)")
_CONTENT_TYPES = {".xml": "application/xml", ".html": "text/html", ".json": "application/json"}


def relative_dates(text: str, now: datetime, *, rfc2822: bool) -> str:
    """Replace DAYS_AGO(n) / DAYS_AHEAD(n) with dates relative to ``now``."""

    def render(match: re.Match[str]) -> str:
        days = int(match.group(2)) * (-1 if match.group(1) == "AGO" else 1)
        moment = now + timedelta(days=days)
        return format_datetime(moment) if rfc2822 else moment.isoformat(timespec="seconds")

    return _RELATIVE.sub(render, text)


def _day(text: str, now: datetime) -> date | None:
    text = relative_dates(text, now, rfc2822=False).strip()
    return datetime.fromisoformat(text).date() if text else None


def _load_users(store: CliStore, folder: Path) -> None:
    with (folder / "users.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if service.find_user_by_email(store.session, store.workspace.id, row["email"]) is None:
                service.create_user(
                    store.session, store.workspace.id, UserCreate.model_validate(row)
                )


def _load_feeds(store: CliStore, folder: Path, now: datetime) -> None:
    with (folder / "feeds" / "sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        path = folder / "feeds" / row["file"]
        account_id = None
        if row["account"]:
            account_id = service.find_account(store.session, store.workspace.id, row["account"]).id
        raw = path.read_text(encoding="utf-8")
        data = relative_dates(raw, now, rfc2822="<rss" in raw).encode()
        source = ingestion.source_for(
            store.session, store.workspace.id, f"demo:{row['file']}", account_id
        )
        report = ingestion.ingest_bytes(
            store.session, source, data, _CONTENT_TYPES[path.suffix], None
        )
        ingest_flow.follow_up(store.session, store.settings, report)
        progress(f"  {row['file']}: {report.new} new, {report.duplicates} duplicate")


def _load_deals(store: CliStore, folder: Path, now: datetime) -> dict[str, Deal]:
    found: dict[str, Deal] = {}
    with (folder / "deals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            existing = next(
                (
                    d
                    for d in deals.list_deals(store.session, store.admin)
                    if d.name == row["Deal Name"]
                ),
                None,
            )
            if existing is not None:
                found[existing.name] = existing
                continue
            account = service.find_account(store.session, store.workspace.id, row["Account Name"])
            contacts = []
            for item in filter(None, (c.strip() for c in row["Contacts"].split(";"))):
                name, _, title = item.partition("(")
                contacts.append(Contact(name=name.strip(), title=title.rstrip(")").strip()))
            deal = deals.create_deal(
                store.session,
                store.admin,
                DealCreate(
                    name=row["Deal Name"], account_id=account.id, stage=row["Stage"],
                    amount=float(row["Amount"]), close_date=_day(row["Close Date"], now),
                    owner_email=row["Owner Email"], contacts=contacts,
                    last_buyer_activity=_day(row["Last Buyer Activity"], now),
                ),
            )  # fmt: skip
            found[deal.name] = deal
    return found


def _load_notes(store: CliStore, folder: Path, by_name: dict[str, Deal], now: datetime) -> None:
    for line in (folder / "notes.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        deal = by_name[row["deal"]]
        if deals.deal_has_notes(store.session, deal.id):
            continue
        note, _ = deals.add_note(store.session, store.admin, deal.id, row["notes"])
        note.created_at = now - timedelta(days=row["days_ago"])


def load_demo(store: CliStore, folder: Path) -> None:
    """Idempotent: loading twice leaves one copy of everything."""
    now = utcnow()
    store.workspace.profile = yaml.safe_load((folder / "profile.yaml").read_text(encoding="utf-8"))
    _load_users(store, folder)
    csv_import.import_accounts(
        store.session, store.admin, (folder / "accounts.csv").read_text("utf-8")
    )
    store.session.flush()
    progress("ingesting the demo feeds")
    _load_feeds(store, folder, now)
    _load_notes(store, folder, _load_deals(store, folder, now), now)


@app.command()
def demo(
    path: Path = typer.Option(EXAMPLES, "--path", help="Folder of the demo data."),
    workspace: str = typer.Option("demo", "--workspace"),
) -> None:
    """Load the demo workspace and print a manager's and a rep's email and token."""
    if not (path / "accounts.csv").is_file():
        fail(f"no demo data in {path}")
    with open_store(workspace) as store, StoreLock(store.settings):
        progress(f"loading demo data from {path} into workspace {workspace!r}")
        load_demo(store, path)
        users = service.list_users(store.session, store.workspace.id)
        printed = []
        for role in ("manager", "rep"):
            person = next((u for u in users if u.role == role), None)
            if person is not None:
                _, raw = auth.issue_token(store.session, person, name="demo")
                printed.append(f"{role}: {person.email}\ntoken: {raw}")
    typer.echo("\n".join(printed))
    progress(f"use it from the CLI: export DEALSCOUT_WORKSPACE={workspace}")
