"""``dealscout ingest`` and ``dealscout reindex``."""

from __future__ import annotations

from urllib.parse import urlsplit

import typer

from dealscout.accounts import service as accounts
from dealscout.accounts.models import Account
from dealscout.accounts.schemas import AccountCreate
from dealscout.cli.app import app
from dealscout.cli.context import CliStore, open_store
from dealscout.cli.output import WorkspaceOpt, emit_json, fail, progress
from dealscout.core.errors import NotFound, Refused
from dealscout.core.lock import StoreLock
from dealscout.core.redact import redact
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import service, vectors


def _account(store: CliStore, name: str, domain: str | None) -> Account:
    try:
        return accounts.find_account(store.session, store.workspace.id, name)
    except NotFound:
        progress(f"creating account {name!r}")
        return accounts.create_account(
            store.session, store.admin, AccountCreate(name=name, domain=domain)
        )


@app.command()
def ingest(
    source: str = typer.Argument(..., help="A feed, page or job-board URL, or a local file."),
    account: str = typer.Option(..., "--account", help="The account's name (created if needed)."),
    domain: str | None = typer.Option(None, "--domain", help="The account's domain."),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Ingest one source for an account and print what was new, duplicate or rejected."""
    scheme = urlsplit(source).scheme.lower()
    is_url = scheme in ("http", "https")
    if "://" in source and not is_url:
        raise Refused(f"only http and https URLs (or local paths) are accepted, not {scheme}://")
    with open_store(workspace) as store, StoreLock(store.settings):
        target = _account(store, account, domain)
        row = service.source_for(store.session, store.workspace.id, source, target.id)
        progress(f"{'fetching' if is_url else 'reading'} {source}")
        if is_url:
            report = ingest_flow.fetch_and_follow_up(store.session, store.settings, row)
        else:
            report = service.ingest_local_file(store.session, row, source, store.settings)
            ingest_flow.follow_up(store.session, store.settings, report)
        if report.failure is not None:  # inside the unit of work: nothing is kept
            fail(redact(str(report.failure)), 2 if isinstance(report.failure, Refused) else 1)
    if json_out:
        emit_json(report.public())
        return
    typer.echo(
        f"{redact(report.source)}: fetched {report.fetched}, new {report.new}, "
        f"duplicates {report.duplicates}, rejected {report.rejected}"
    )
    for error in report.errors:
        typer.echo(f"  error: {error}")


@app.command()
def reindex(workspace: str | None = WorkspaceOpt) -> None:
    """Rebuild the workspace's vector index from the SQL store."""
    with open_store(workspace) as store, StoreLock(store.settings):
        progress("rebuilding vectors from SQL")
        store_ = ingest_flow.vector_store(store.settings)
        total = vectors.reindex_workspace(store.session, store_, store.workspace.id)
    typer.echo(f"reindexed {total} signals")
