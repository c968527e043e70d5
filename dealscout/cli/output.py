"""Printing helpers for CLI commands: JSON on stdout, one-line reasons on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from pydantic import BaseModel


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    return obj


WorkspaceOpt = typer.Option(
    None, "--workspace", help="Workspace name (default: $DEALSCOUT_WORKSPACE, else 'default')."
)
JsonOpt = typer.Option(False, "--json", help="Print JSON.")


def emit_json(obj: Any) -> None:
    """Print one JSON document (or one JSONL line) on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, code: int = 2) -> NoReturn:
    """Exit with a one-line reason on stderr (2 = bad input or refused, 1 = transient)."""
    first_line = " ".join(str(message).split())
    sys.stderr.write(f"error: {first_line}\n")
    raise typer.Exit(code)


def progress(message: str) -> None:
    """Progress for long runs goes to stderr so stdout stays machine-readable."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def jsonl_object(line: str) -> tuple[dict[str, Any] | None, str]:
    """One JSONL request line → ``(row, "")``, or ``(None, reason)`` when it is not a JSON
    object (the caller answers ``{"id": None, "error": reason}`` and the run goes on)."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    if not isinstance(row, dict):
        return None, "expected a JSON object"
    return row, ""
