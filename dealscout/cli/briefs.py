"""``dealscout brief`` and ``dealscout profile set|show``."""

from __future__ import annotations

from pathlib import Path

import typer

from dealscout.accounts import service as accounts
from dealscout.briefs import profile, render, service
from dealscout.cli.app import app
from dealscout.cli.context import open_store
from dealscout.cli.output import WorkspaceOpt, emit_json
from dealscout.core.errors import BadInput

profile_app = typer.Typer(help="The workspace's seller profile.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")


@app.command()
def brief(
    account: str = typer.Argument(..., help="The account's name or id."),
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    fmt: str = typer.Option("md", "--format", help="md or html (without --json)."),
    refresh: bool = typer.Option(False, "--refresh", help="Regenerate even if cached."),
) -> None:
    """Print the account brief from the store (cached until its inputs change)."""
    if fmt not in ("md", "html"):
        raise BadInput(f"--format must be md or html, not {fmt!r}")
    with open_store(workspace) as store:
        found = accounts.find_account(store.session, store.workspace.id, account)
        result = service.account_brief(store.session, store.settings, found, refresh=refresh)
    if json_out:
        emit_json(result)
    elif fmt == "html":
        typer.echo(render.to_html(result))
    else:
        typer.echo(render.to_markdown(result), nl=False)


@profile_app.command("set")
def profile_set(
    file: Path = typer.Argument(..., help="A YAML file (see examples/profile.yaml)."),
    workspace: str | None = WorkspaceOpt,
) -> None:
    """Replace the workspace's profile with the file's contents."""
    loaded = profile.load_profile_file(file)
    with open_store(workspace) as store:
        profile.set_profile(store.session, store.admin, loaded)
    typer.echo(f"profile of workspace {workspace!r} set ({loaded.product or 'no product name'})")


@profile_app.command("show")
def profile_show(
    workspace: str | None = WorkspaceOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Print the workspace's profile (YAML, or JSON with --json)."""
    with open_store(workspace) as store:
        current = profile.get_profile(store.session, store.workspace.id)
    if json_out:
        emit_json(current)
    else:
        typer.echo(profile.dump_profile_yaml(current), nl=False)
