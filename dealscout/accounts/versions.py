"""Per-account versions: a counter that moves whenever anything an account's brief reads
changes, so a cached read compares one integer instead of fingerprinting its inputs.

Domains register the models that feed an account's brief with :func:`track` (deals, coach
reports, reviews, overrides...) together with a function naming the accounts a changed row
concerns; a ``before_flush`` listener bumps those accounts in the same transaction as the
change. Writes that bypass the ORM (bulk Core inserts of signals and their account links)
call :func:`bump` themselves. A workspace's profile feeds every brief of the workspace, so
changing it bumps all of its accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, Workspace

AccountsOf = Callable[[Session, Any], Iterable[int | None]]

_TRACKED: dict[type, AccountsOf] = {}


def track(model: type, accounts_of: AccountsOf) -> None:
    """Bump the accounts ``accounts_of(session, row)`` names when a ``model`` row is
    added, changed or deleted through the ORM."""
    _TRACKED[model] = accounts_of


def bump(session: Session, account_ids: Iterable[int]) -> None:
    """Move the version of these accounts (their ``updated_at`` stays as it is)."""
    ids = sorted(set(account_ids))
    for start in range(0, len(ids), 500):
        session.execute(
            update(Account)
            .where(Account.id.in_(ids[start : start + 500]))
            .values(version=Account.version + 1, updated_at=Account.updated_at),
            execution_options={"synchronize_session": False},
        )


def bump_workspace(session: Session, workspace_id: int) -> None:
    session.execute(
        update(Account)
        .where(Account.workspace_id == workspace_id)
        .values(version=Account.version + 1, updated_at=Account.updated_at),
        execution_options={"synchronize_session": False},
    )


@event.listens_for(Session, "before_flush")
def _bump_changed_accounts(session: Session, _context: Any, _instances: Any) -> None:
    accounts: set[int] = set()
    workspaces: set[int] = set()
    dirty = [row for row in session.dirty if session.is_modified(row, include_collections=False)]
    own: set[int] = set()  # changed accounts, bumped through their own row
    with session.no_autoflush:
        for row in dirty:
            if isinstance(row, Account):
                row.version = Account.version + 1  # type: ignore[assignment]
                own.add(row.id)
            elif isinstance(row, Workspace) and inspect(row).attrs.profile.history.has_changes():
                workspaces.add(row.id)
        for row in [*session.new, *dirty, *session.deleted]:
            if (accounts_of := _TRACKED.get(type(row))) is not None:
                accounts.update(i for i in accounts_of(session, row) if i is not None)
        bump(session, accounts - own)
        for workspace_id in workspaces:
            bump_workspace(session, workspace_id)
