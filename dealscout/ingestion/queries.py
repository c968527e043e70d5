"""Queries over stored signals that other parts of dealscout share."""

from __future__ import annotations

from sqlalchemy import Select, select

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
