"""``dealscout queue``: the prioritized queue of the workspace, or of one rep."""

from __future__ import annotations

import typer

from dealscout.cli.app import app
from dealscout.cli.context import open_store
from dealscout.cli.output import WorkspaceOpt, emit_json
from dealscout.queue.schemas import Queue, QueueFilters
from dealscout.queue.service import build_queue


def _print(result: Queue) -> None:
    scope = result.rep or "the whole workspace"
    typer.echo(f"queue of {scope} ({result.total} accounts, weights {result.weights_version})")
    for item in result.items:
        typer.echo(f"{item.rank:>3}. {item.account}  {item.score:.4f}")
        for reason in item.reasons:
            typer.echo(f"       - {reason.text}")
        if item.opening_line:
            typer.echo(f"       > {item.opening_line}")


@app.command()
def queue(
    rep: str | None = typer.Option(None, "--rep", help="A rep's email: their accounts only."),
    signal_type: str | None = typer.Option(None, "--type", help="Only accounts with this type."),
    tier: str | None = typer.Option(None, "--tier"),
    region: str | None = typer.Option(None, "--region"),
    limit: int = typer.Option(20, "--limit"),
    offset: int = typer.Option(0, "--offset"),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Print the prioritized queue (the whole workspace without --rep)."""
    filters = QueueFilters(type=signal_type, tier=tier, region=region, limit=limit, offset=offset)
    with open_store(workspace) as store:
        result = build_queue(store.session, store.admin, rep_email=rep, filters=filters)
    if json_out:
        emit_json(result)
    else:
        _print(result)
