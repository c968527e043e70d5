"""Workspaces, users and accounts, with the visibility rules of each role.

Reps see the accounts they own; managers and admins see their whole workspace. Another
workspace's objects are never visible: their ids answer NotFound, not Forbidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User, Workspace
from dealscout.accounts.schemas import AccountCreate, AccountUpdate, UserCreate, UserUpdate
from dealscout.core.errors import BadInput, Conflict, Forbidden, NotFound

DEFAULT_WORKSPACE = "default"


def get_or_create_workspace(session: Session, name: str = DEFAULT_WORKSPACE) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        workspace = Workspace(name=name, profile={}, queue_weights={})
        session.add(workspace)
        session.flush()
    return workspace


def find_workspace(session: Session, name: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        raise NotFound(f"unknown workspace {name!r}")
    return workspace


def sees_whole_workspace(user: User) -> bool:
    return user.role in ("manager", "admin")


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}")


# --- users -------------------------------------------------------------------------------


def find_user_by_email(session: Session, workspace_id: int, email: str) -> User | None:
    return session.scalar(
        select(User).where(User.workspace_id == workspace_id, User.email == email.strip().lower())
    )


def create_user(session: Session, workspace_id: int, data: UserCreate) -> User:
    if find_user_by_email(session, workspace_id, data.email):
        raise Conflict(f"user {data.email} already exists")
    user = User(workspace_id=workspace_id, email=data.email, name=data.name, role=data.role)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, workspace_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound(f"user {user_id} not found")
    return user


def list_users(session: Session, workspace_id: int) -> list[User]:
    return list(
        session.scalars(select(User).where(User.workspace_id == workspace_id).order_by(User.id))
    )


def _keep_an_admin(session: Session, user: User, change: str) -> None:
    """A workspace always keeps an admin: its last one cannot be demoted or deleted."""
    if user.role != "admin":
        return
    admins = session.scalars(
        select(User.id).where(User.workspace_id == user.workspace_id, User.role == "admin")
    )
    if list(admins) == [user.id]:
        raise Conflict(f"{user.email} is the workspace's last admin and cannot be {change}")


def update_user(session: Session, workspace_id: int, user_id: int, data: UserUpdate) -> User:
    user = get_user(session, workspace_id, user_id)
    if data.role is not None and data.role != "admin":
        _keep_an_admin(session, user, "demoted")
    for field, value in data.model_dump(exclude_none=True).items():
        setattr(user, field, value)
    return user


def delete_user(session: Session, workspace_id: int, user_id: int) -> None:
    user = get_user(session, workspace_id, user_id)
    _keep_an_admin(session, user, "deleted")
    session.delete(user)


def first_admin(session: Session, workspace_id: int) -> User | None:
    return session.scalar(
        select(User)
        .where(User.workspace_id == workspace_id, User.role == "admin")
        .order_by(User.id)
    )


# --- accounts ----------------------------------------------------------------------------


def visible_accounts_query(user: User):  # type: ignore[no-untyped-def]
    query = select(Account).where(Account.workspace_id == user.workspace_id)
    if not sees_whole_workspace(user):
        query = query.where(Account.owner_id == user.id)
    return query


def list_accounts(
    session: Session, user: User, *, limit: int = 100, offset: int = 0
) -> list[Account]:
    query = visible_accounts_query(user).order_by(Account.name).limit(limit).offset(offset)
    return list(session.scalars(query))


def get_account(session: Session, user: User, account_id: int) -> Account:
    account = session.get(Account, account_id)
    visible = account is not None and account.workspace_id == user.workspace_id
    if visible and not sees_whole_workspace(user):
        visible = account is not None and account.owner_id == user.id
    if not visible or account is None:
        raise NotFound(f"account {account_id} not found")
    return account


def find_account(session: Session, workspace_id: int, name_or_id: str) -> Account:
    """Resolve a CLI ``ACCOUNT`` argument: an id, or a name (case-insensitive)."""
    query = select(Account).where(Account.workspace_id == workspace_id)
    conditions: list[ColumnElement[bool]] = [Account.name.ilike(name_or_id.strip())]
    if name_or_id.strip().isdigit():
        conditions.append(Account.id == int(name_or_id))
    account = session.scalar(query.where(or_(*conditions)).order_by(Account.id))
    if account is None:
        raise NotFound(f"unknown account {name_or_id!r}{_found_in(session, name_or_id)}")
    return account


def _found_in(session: Session, name: str) -> str:
    """A hint naming the other workspaces that have an account of that name."""
    return _workspaces_hint(
        session.scalars(
            select(Workspace.name)
            .join(Account, Account.workspace_id == Workspace.id)
            .where(Account.name.ilike(name.strip()))
            .distinct()
            .order_by(Workspace.name)
        ).all()
    )


def user_found_in(session: Session, email: str) -> str:
    """A hint naming the workspaces where a user of that email exists."""
    return _workspaces_hint(
        session.scalars(
            select(Workspace.name)
            .join(User, User.workspace_id == Workspace.id)
            .where(User.email == email.strip().lower())
            .distinct()
            .order_by(Workspace.name)
        ).all()
    )


def _workspaces_hint(names: Sequence[str]) -> str:
    if not names:
        return ""
    return f" in this workspace; it is in workspace {', '.join(map(repr, names))} (use --workspace)"


def owner_id_for(session: Session, user: User, owner_email: str | None) -> int | None:
    """The owner named by ``owner_email`` for a record ``user`` creates: a rep creates only
    records they own."""
    if not owner_email:
        return None
    owner = find_user_by_email(session, user.workspace_id, owner_email)
    if owner is None:
        raise BadInput(f"unknown owner {owner_email!r}")
    if owner.id != user.id:
        require_role(user, "manager", "admin")
    return owner.id


def _unique_name(session: Session, workspace_id: int, name: str, account_id: int = 0) -> None:
    existing = session.scalar(
        select(Account.id).where(
            Account.workspace_id == workspace_id, Account.name == name, Account.id != account_id
        )
    )
    if existing is not None:
        raise Conflict(f"account {name!r} already exists")


def create_account(session: Session, user: User, data: AccountCreate) -> Account:
    _unique_name(session, user.workspace_id, data.name)
    owner_id = owner_id_for(session, user, data.owner_email)
    if owner_id is None and user.role == "rep":
        owner_id = user.id
    fields = data.model_dump(exclude={"owner_email"})
    account = Account(workspace_id=user.workspace_id, owner_id=owner_id, **fields)
    session.add(account)
    session.flush()
    return account


def update_account(session: Session, user: User, account_id: int, data: AccountUpdate) -> Account:
    account = get_account(session, user, account_id)
    if data.name is not None:
        _unique_name(session, user.workspace_id, data.name, account.id)
    changes = data.model_dump(exclude_unset=True, exclude={"owner_email"})
    for field, value in changes.items():
        setattr(account, field, value)
    if data.owner_email is not None:
        require_role(user, "manager", "admin")
        account.owner_id = owner_id_for(session, user, data.owner_email)
    session.flush()
    return account
