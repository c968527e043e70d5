"""``create_*`` helpers that build workspace objects through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dealscout.accounts import auth, service
from dealscout.accounts.bootstrap import ensure_schema
from dealscout.accounts.models import Account, User, Workspace
from dealscout.accounts.schemas import AccountCreate, UserCreate
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker


def open_session(settings: Settings) -> Session:
    ensure_schema(settings)
    return get_sessionmaker(settings.sqlalchemy_url)()


@dataclass
class Member:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def create_workspace(session: Session, name: str) -> Workspace:
    return service.get_or_create_workspace(session, name)


def create_member(session: Session, workspace: Workspace, email: str, role: str = "rep") -> Member:
    user = service.create_user(session, workspace.id, UserCreate(email=email, role=role))  # type: ignore[arg-type]
    _, raw = auth.issue_token(session, user)
    session.commit()
    return Member(user, raw)


def create_account(session: Session, member: Member, name: str, **fields: object) -> Account:
    account = service.create_account(session, member.user, AccountCreate(name=name, **fields))  # type: ignore[arg-type]
    session.commit()
    return account
