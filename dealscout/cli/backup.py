"""``dealscout backup PATH`` and ``dealscout restore PATH`` for the embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from dealscout.cli.app import app
from dealscout.cli.output import emit_json, progress
from dealscout.core import backup as backups
from dealscout.core.config import get_settings
from dealscout.core.db import migrate
from dealscout.core.lock import StoreLock
from dealscout.flows import ingest as ingest_flow


@app.command()
def backup(
    path: Path = typer.Argument(..., help="A new (or empty) folder for the backup."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Back up the embedded store (safe while `dealscout serve` runs)."""
    settings = get_settings()
    manifest = backups.backup(settings.sqlalchemy_url, path)
    if json_out:
        emit_json(manifest.__dict__)
        return
    counts = ", ".join(f"{k} {v}" for k, v in manifest.counts.items())
    typer.echo(f"backed up to {path}: {counts}")


@app.command()
def restore(
    path: Path = typer.Argument(..., help="A folder written by `dealscout backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a store that holds data."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Restore a backup into this home and rebuild its vectors from SQL (server stopped)."""
    settings = get_settings()
    with StoreLock(settings):
        manifest = backups.restore(settings.sqlalchemy_url, path, force=force)
        migrate(settings.sqlalchemy_url)
        store = ingest_flow.vector_store(settings)
        store.forget()
        shutil.rmtree(settings.chroma_path, ignore_errors=True)
        progress("rebuilding vectors from SQL")
        done = ingest_flow.reconcile(settings)
    counts = backups.table_counts(settings.sqlalchemy_url)
    if json_out:
        emit_json(
            {
                "restored_from": str(path),
                "backup_created_at": manifest.created_at,
                "counts": counts,
                "vectors": done.embedded,
            }
        )
        return
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    typer.echo(
        f"restored the backup of {manifest.created_at} from {path}: {summary}; "
        f"{done.embedded} vectors rebuilt"
    )
