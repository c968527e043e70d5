"""What every CLI command shares: settings, the store (created on first use), the admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dealscout.accounts.bootstrap import ensure_schema, ensure_workspace_admin
from dealscout.accounts.models import User, Workspace
from dealscout.core.config import Settings, get_settings
from dealscout.core.db import session_scope


@dataclass
class CliStore:
    settings: Settings
    session: Session
    workspace: Workspace
    admin: User


@contextmanager
def open_store(workspace: str = "default") -> Iterator[CliStore]:
    """Create/migrate the store and the workspace on first use; one transaction per command."""
    settings = get_settings()
    ensure_schema(settings)
    with session_scope(settings.sqlalchemy_url) as session:
        found = ensure_workspace_admin(session, workspace)
        yield CliStore(settings, session, found.workspace, found.admin)
