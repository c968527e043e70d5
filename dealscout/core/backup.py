"""Backup and restore of the embedded SQL store (SQLite), consistent while the server runs.

SQLite's online backup API copies a consistent snapshot page by page while other
connections keep reading and writing. The vector index is not copied: it is rebuilt from
SQL on restore (SQL is the source of truth), which is consistent by construction — a copy
of Chroma's folder taken beside its writing process is not.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, table

from dealscout import __version__
from dealscout.core.db import get_engine, utcnow
from dealscout.core.errors import BadInput

DATABASE_FILE = "dealscout.db"
MANIFEST_FILE = "manifest.json"
COUNTED = (
    "workspaces",
    "users",
    "accounts",
    "sources",
    "signals",
    "deals",
    "notes",
    "coach_reports",
)


@dataclass
class Manifest:
    created_at: str
    version: str
    counts: dict[str, int]


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise BadInput(
            "backup and restore cover the embedded SQLite store; for PostgreSQL use pg_dump "
            "and pg_restore (see the README's backup section)"
        )
    return Path(url.removeprefix("sqlite:///"))


def table_counts(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        return {
            name: int(conn.execute(select(func.count()).select_from(table(name))).scalar_one())
            for name in COUNTED
            if name in tables
        }


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def backup(url: str, folder: Path) -> Manifest:
    """Write a consistent copy of the SQL store and a manifest of its counts to ``folder``."""
    database = sqlite_path(url)
    if folder.exists() and any(folder.iterdir()):
        raise BadInput(f"{folder} is not empty: choose a new folder for the backup")
    folder.mkdir(parents=True, exist_ok=True)
    _copy(database, folder / DATABASE_FILE)
    manifest = Manifest(
        utcnow().isoformat(), __version__, table_counts(f"sqlite:///{folder / DATABASE_FILE}")
    )
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest.__dict__, indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        raise BadInput(
            f"{folder} holds no dealscout backup (no readable {MANIFEST_FILE})"
        ) from None
    if not (folder / DATABASE_FILE).is_file():
        raise BadInput(f"{folder} holds no {DATABASE_FILE}")
    return Manifest(**data)


def restore(url: str, folder: Path, *, force: bool) -> Manifest:
    """Replace the SQL store with the backup's. Refuses a store that holds data unless
    ``force``. The caller migrates the schema and rebuilds the vectors afterwards."""
    manifest = read_manifest(folder)
    database = sqlite_path(url)
    if not force and database.exists():
        held = table_counts(url)
        if held.get("accounts") or held.get("signals"):
            raise BadInput(
                f"the store in {database.parent} holds data: restore into an empty home, "
                "or pass --force to replace it"
            )
    get_engine(url).dispose()
    _copy(folder / DATABASE_FILE, database)
    return manifest
