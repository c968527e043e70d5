"""Queries over stored signals that other parts of dealscout share."""

from __future__ import annotations

from sqlalchemy import Select, select

from dealscout.ingestion.models import Signal, SignalAccount


def account_signals_query(account_id: int) -> Select[Signal]:
    """Active signals confirmed for the account (ambiguous links wait for a person)."""
    return (
        select(Signal)
        .join(SignalAccount, SignalAccount.signal_id == Signal.id)
        .where(
            SignalAccount.account_id == account_id,
            SignalAccount.status == "matched",
            Signal.status == "active",
        )
    )
