"""What every CLI command shares: settings, the store (created on first use), the admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.bootstrap import ensure_schema, ensure_workspace_admin
from dealscout.accounts.models import User, Workspace
from dealscout.cli.output import progress
from dealscout.core.config import Settings, get_settings
from dealscout.core.db import session_scope


@dataclass
class CliStore:
    settings: Settings
    session: Session
    workspace: Workspace
    admin: User


@contextmanager
def open_store(workspace: str | None = None) -> Iterator[CliStore]:
    """Create/migrate the store and the workspace on first use; one transaction per command.

    ``workspace`` None means ``DEALSCOUT_WORKSPACE``, else ``default``."""
    settings = get_settings()
    ensure_schema(settings)
    with session_scope(settings.sqlalchemy_url) as session:
        found = ensure_workspace_admin(session, workspace or settings.workspace)
        if found.created:
            _say_created(session, found.workspace)
        yield CliStore(settings, session, found.workspace, found.admin)


def _say_created(session: Session, workspace: Workspace) -> None:
    """A new workspace is visible to no existing token: say so, and name the others."""
    others = [w.name for w in session.scalars(select(Workspace).order_by(Workspace.name))]
    others = [name for name in others if name != workspace.name]
    if others:
        progress(
            f"created workspace {workspace.name!r}; existing: {', '.join(others)} "
            "(choose with --workspace or DEALSCOUT_WORKSPACE)"
        )
