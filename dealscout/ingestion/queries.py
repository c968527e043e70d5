"""Queries over stored signals that other parts of dealscout share."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from dealscout.ingestion.match import Status
from dealscout.ingestion.models import Signal, SignalAccount


def account_signals_query(account_id: int, link: Status = "matched") -> Select[Signal]:
    """Active signals linked to the account with status ``link``: ``matched`` (confirmed:
    what briefs and the queue read), ``ambiguous`` (waiting for a person) or ``off_topic``
    (junk, or the name in another sense: kept with the reason)."""
    return (
        select(Signal)
        .join(SignalAccount, SignalAccount.signal_id == Signal.id)
        .where(
            SignalAccount.account_id == account_id,
            SignalAccount.status == link,
            Signal.status == "active",
        )
    )


def workspace_signals(session: Session, workspace_id: int, ids: Iterable[int]) -> dict[int, Signal]:
    """The workspace's signals among ``ids`` (others are silently left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(Signal).where(Signal.workspace_id == workspace_id, Signal.id.in_(wanted))
    return {s.id: s for s in session.scalars(query)}
