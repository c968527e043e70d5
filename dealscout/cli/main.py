"""The ``dealscout`` console script: registers every command module."""

from __future__ import annotations

import logging
import sys

from dealscout.cli import (  # noqa: F401  (register commands)
    admin,
    backup,
    briefs,
    classify,
    coach,
    demo,
    ingest,
    queue,
    serve,
)
from dealscout.cli.app import app
from dealscout.cli.context import open_store

__all__ = ["app", "run"]


@app.callback()
def create_store_on_first_use() -> None:
    """Every command works on a store that exists: create and migrate it on first use."""
    with open_store():
        pass


def run() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last resort: one line, never a traceback
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    run()
