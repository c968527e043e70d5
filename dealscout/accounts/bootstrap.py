"""First use: migrate the store and make sure a workspace and its administrator exist."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dealscout.accounts.auth import issue_token
from dealscout.accounts.models import User, Workspace
from dealscout.accounts.schemas import UserCreate
from dealscout.accounts.service import create_user, first_admin, get_or_create_workspace
from dealscout.core.config import Settings
from dealscout.core.db import migrate

_migrated: set[str] = set()


def ensure_schema(settings: Settings) -> None:
    """Run migrations once per process and database URL."""
    url = settings.sqlalchemy_url
    if url not in _migrated:
        migrate(url)
        _migrated.add(url)


@dataclass
class WorkspaceAdmin:
    workspace: Workspace
    admin: User
    created: bool


def ensure_workspace_admin(session: Session, workspace_name: str) -> WorkspaceAdmin:
    workspace = get_or_create_workspace(session, workspace_name)
    admin = first_admin(session, workspace.id)
    if admin is not None:
        return WorkspaceAdmin(workspace, admin, created=False)
    email = f"admin@{workspace_name.lower().replace(' ', '-')}.local"
    admin = create_user(
        session, workspace.id, UserCreate(email=email, name="Administrator", role="admin")
    )
    return WorkspaceAdmin(workspace, admin, created=True)


def admin_token(session: Session, admin: User, name: str = "cli") -> str:
    _, raw = issue_token(session, admin, name=name)
    return raw
