"""``dealscout digest --user EMAIL``: the digest that user would receive now if opted in."""

from __future__ import annotations

import typer

from dealscout.accounts import service
from dealscout.cli.app import app
from dealscout.cli.context import open_store
from dealscout.cli.output import WorkspaceOpt, emit_json, fail
from dealscout.flows.digests import as_text, build_digest


@app.command()
def digest(
    user: str = typer.Option(..., "--user", help="The user's email."),
    kind: str | None = typer.Option(
        None, "--kind", help="daily or weekly (default: daily for reps, weekly for managers)."
    ),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Print the digest USER would receive now (plain text; --json for its parts)."""
    if kind not in (None, "daily", "weekly"):
        fail(f"--kind must be daily or weekly, not {kind!r}")
    with open_store(workspace) as store:
        found = service.find_user_by_email(store.session, store.workspace.id, user)
        if found is None:
            fail(f"unknown user {user!r} in workspace {workspace!r}")
        result = build_digest(store.session, found, kind)  # type: ignore[arg-type]
    if json_out:
        emit_json(result)
    else:
        typer.echo(as_text(result))
