"""The Typer applications that every CLI module registers its commands on.

Domain errors become a one-line reason on stderr and an exit status (2 for bad input or a
refused source, 1 for transient trouble) here, once, for every command.

Command modules load lazily: ``COMMANDS`` names the modules that define each top-level
command, so ``dealscout --help`` imports none of them and ``dealscout coach`` imports only
the coach's (a command module may pull in FastAPI, Chroma or Celery).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from dealscout.core.errors import DealscoutError, Transient


class ErrorMappingGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context class is private
        try:
            return super().invoke(ctx)
        except DealscoutError as exc:
            sys.stderr.write(f"error: {' '.join(str(exc).split())}\n")
            ctx.exit(1 if isinstance(exc, Transient) else 2)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            sys.stderr.write(f"error: {where}: {first['msg']}\n")
            ctx.exit(2)


# top-level command -> (modules of dealscout.cli that register it, one-line help)
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "init": (("admin",), "Create or migrate the store and print an admin token."),
    "demo": (("demo",), "Load the fictional demo workspace and print its tokens."),
    "serve": (("serve",), "Serve the web app and API (and, embedded, the worker)."),
    "worker": (("serve",), "Run a worker on the configured broker (scale-out)."),
    "beat": (("serve",), "Run the scheduler on the configured broker (scale-out)."),
    "users": (("admin",), "People of a workspace: add, list."),
    "tokens": (("admin",), "API tokens: create, list, revoke."),
    "accounts": (("admin",), "Target accounts: add, import a CRM export, list."),
    "ingest": (("ingest",), "Read a feed, page or job board (URL or file) for an account."),
    "reindex": (("ingest",), "Rebuild the vector index from the SQL store."),
    "backup": (("backup",), "Back up the embedded store (safe while serve runs)."),
    "restore": (("backup",), "Restore a backup into an empty home; vectors rebuilt."),
    "classify": (("classify",), "Tell which kind of event a document reports."),
    "coach": (("coach",), "Coach deal notes against a stage's exit criteria."),
    "brief": (("briefs",), "The pre-call brief of an account."),
    "profile": (("briefs",), "Your product, value proposition and ideal customer."),
    "queue": (("queue",), "Which accounts to work today, and why."),
    "process": (("coach", "admin"), "Sales processes: list, check a file, use one."),
    "eval": (("classify", "coach"), "Precision and recall on a labeled file."),
    "train": (("classify", "coach"), "Rebuild a learned model from the repository's data."),
    "analytics": (("analytics",), "Pipeline analytics: conversion, velocity, win rates, ..."),
    "digest": (("digest",), "The digest a user would receive now if opted in."),
}


class LazyGroup(ErrorMappingGroup):
    """The root group: imports a command's modules only when that command runs."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # typer vendors click
        if cmd_name not in COMMANDS:
            return None
        for module in COMMANDS[cmd_name][0]:
            importlib.import_module(f"dealscout.cli.{module}")
        return typer.main.get_group(app).commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_, help_) in COMMANDS.items()])


app = typer.Typer(
    cls=LazyGroup,
    rich_markup_mode=None,
    help="dealscout: account research and deal coaching for B2B sales teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Evaluate quality on a labeled file.", no_args_is_help=True)
process_app = typer.Typer(help="Sales-process files.", no_args_is_help=True)
users_app = typer.Typer(help="Users of a workspace.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens.", no_args_is_help=True)
accounts_app = typer.Typer(help="Target accounts.", no_args_is_help=True)
train_app = typer.Typer(
    help="Rebuild a learned model from the repository's data.", no_args_is_help=True
)

app.add_typer(eval_app, name="eval")
app.add_typer(process_app, name="process")
app.add_typer(train_app, name="train")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(accounts_app, name="accounts")
