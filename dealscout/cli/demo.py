"""``dealscout demo``: load the fictional demo workspace from ``examples/``."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
import yaml

from dealscout.accounts import auth, csv_import, service
from dealscout.accounts.schemas import UserCreate
from dealscout.cli.app import app
from dealscout.cli.context import CliStore, open_store
from dealscout.cli.output import fail, progress

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load_users(store: CliStore, folder: Path) -> None:
    with (folder / "users.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if service.find_user_by_email(store.session, store.workspace.id, row["email"]) is None:
                service.create_user(
                    store.session, store.workspace.id, UserCreate.model_validate(row)
                )


def load_demo(store: CliStore, folder: Path) -> None:
    """Idempotent: loading twice leaves one copy of everything."""
    store.workspace.profile = yaml.safe_load((folder / "profile.yaml").read_text(encoding="utf-8"))
    _load_users(store, folder)
    csv_import.import_accounts(
        store.session, store.admin, (folder / "accounts.csv").read_text("utf-8")
    )
    store.session.flush()


@app.command()
def demo(
    path: Path = typer.Option(EXAMPLES, "--path", help="Folder of the demo data."),
    workspace: str = typer.Option("demo", "--workspace"),
) -> None:
    """Load the demo workspace and print a manager's token."""
    if not (path / "accounts.csv").is_file():
        fail(f"no demo data in {path}")
    with open_store(workspace) as store:
        progress(f"loading demo data from {path} into workspace {workspace!r}")
        load_demo(store, path)
        manager = next(
            u for u in service.list_users(store.session, store.workspace.id) if u.role == "manager"
        )
        _, raw = auth.issue_token(store.session, manager, name="demo")
    typer.echo(f"manager: {manager.email}")
    typer.echo(f"token: {raw}")
