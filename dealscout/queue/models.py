"""The prioritization queue's stored score terms and each rep's feedback on accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealscout.core.db import Base, UTCDateTime, utcnow


class AccountScore(Base):
    """The queue's stored score terms, refreshed when signals arrive; decay applies at read.

    ``summary`` repeats the small ranking summary kept in ``terms`` in a column of its own,
    so ranking a whole workspace reads a few bytes per account instead of every signal list.
    """

    __tablename__ = "account_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    weights_version: Mapped[str] = mapped_column(String(32), default="")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RepAccountState(Base):
    """A rep's feedback on an account: snoozed until a date, last contacted."""

    __tablename__ = "rep_account_state"
    __table_args__ = (UniqueConstraint("user_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DismissedSignal(Base):
    __tablename__ = "dismissed_signals"
    __table_args__ = (UniqueConstraint("user_id", "signal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
