"""The ``dealscout`` console script (commands load lazily, see ``cli.app.COMMANDS``)."""

from __future__ import annotations

import logging
import sys

from dealscout.cli.app import app
from dealscout.core.redact import install_log_redaction, redact

__all__ = ["app", "run"]


def run() -> None:
    install_log_redaction()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last resort: one line, never a traceback
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {redact(str(exc))}\n")
        sys.exit(1)


if __name__ == "__main__":
    run()
