"""What follows an ingest, shared by the tasks and the CLI: embed, then refresh the queue."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.core.config import Settings
from dealscout.ingestion.models import Signal


def signals_by_id(session: Session, ids: Sequence[int]) -> list[Signal]:
    if not ids:
        return []
    return list(session.scalars(select(Signal).where(Signal.id.in_(list(ids))).order_by(Signal.id)))


def after_ingest(session: Session, settings: Settings, account_ids: Sequence[int]) -> None:
    """Refresh what depends on an account's signals (the queue scores; briefs key off the
    signals themselves and regenerate on their next read)."""
    del session, settings, account_ids  # the queue hooks in here (issue 6)
