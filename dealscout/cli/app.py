"""The Typer applications that every CLI module registers its commands on.

Domain errors become a one-line reason on stderr and an exit status (2 for bad input or a
refused source, 1 for transient trouble) here, once, for every command.
"""

from __future__ import annotations

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


app = typer.Typer(
    cls=ErrorMappingGroup,
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
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(accounts_app, name="accounts")
app.add_typer(train_app, name="train")
