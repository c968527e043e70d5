"""A rep's feedback on the queue: snooze an account, mark it contacted, dismiss a signal.

Kept per user; the queue applies the feedback of the rep whose queue it shows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.service import get_account, visible_accounts_query
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, NotFound
from dealscout.ingestion.models import SignalAccount
from dealscout.queue.models import DismissedSignal, RepAccountState
from dealscout.queue.schemas import DismissedRead, RepAccountStateRead


def _state(session: Session, user: User, account_id: int) -> RepAccountState:
    get_account(session, user, account_id)  # NotFound unless visible to this user
    state = session.scalar(
        select(RepAccountState).where(
            RepAccountState.user_id == user.id, RepAccountState.account_id == account_id
        )
    )
    if state is None:
        state = RepAccountState(
            workspace_id=user.workspace_id, user_id=user.id, account_id=account_id
        )
        session.add(state)
    return state


def snooze_account(
    session: Session, user: User, account_id: int, until: date, *, today: date | None = None
) -> RepAccountStateRead:
    """Sink the account in this user's queue until ``until`` (it comes back that day)."""
    if until <= (today or utcnow().date()):
        raise BadInput("snooze until a future date")
    state = _state(session, user, account_id)
    state.snoozed_until = until
    session.flush()
    return RepAccountStateRead.model_validate(state)


def mark_contacted(
    session: Session, user: User, account_id: int, *, now: datetime | None = None
) -> RepAccountStateRead:
    state = _state(session, user, account_id)
    state.contacted_at = now or utcnow()
    session.flush()
    return RepAccountStateRead.model_validate(state)


def dismiss_signal(session: Session, user: User, signal_id: int) -> DismissedRead:
    """Drop a signal from this user's queue; it must concern an account they can see."""
    visible = visible_accounts_query(user).with_only_columns(Account.id)
    linked = session.scalar(
        select(SignalAccount.id).where(
            SignalAccount.signal_id == signal_id,
            SignalAccount.workspace_id == user.workspace_id,
            SignalAccount.account_id.in_(visible),
        )
    )
    if linked is None:
        raise NotFound(f"signal {signal_id} not found")
    exists = session.scalar(
        select(DismissedSignal.id).where(
            DismissedSignal.user_id == user.id, DismissedSignal.signal_id == signal_id
        )
    )
    if exists is None:
        session.add(
            DismissedSignal(workspace_id=user.workspace_id, user_id=user.id, signal_id=signal_id)
        )
        session.flush()
    return DismissedRead(signal_id=signal_id)
