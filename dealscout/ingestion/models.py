"""Sources and the signals ingested from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from dealscout.accounts import versions
from dealscout.core.db import Base, UTCDateTime, utcnow


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(16), default="auto")
    name: Mapped[str] = mapped_column(String(200), default="")
    reliability: Mapped[float] = mapped_column(Float, default=1.0)
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    baseline_done: Mapped[bool] = mapped_column(Boolean, default=False)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(32))
    last_http_code: Mapped[int | None] = mapped_column(Integer)
    last_fetched: Mapped[int] = mapped_column(Integer, default=0)
    last_new: Mapped[int] = mapped_column(Integer, default=0)
    last_duplicates: Mapped[int] = mapped_column(Integer, default=0)
    last_rejected: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Signal(Base):
    """One ingested item. ``status`` is ``active``, ``duplicate`` (see ``duplicate_of_id``)
    or ``rejected`` (see ``reject_reason``); only active signals reach briefs and the queue."""

    __tablename__ = "signals"
    __table_args__ = (
        Index("ix_signals_ws_canonical", "workspace_id", "canonical_url"),
        Index("ix_signals_ws_hash", "workspace_id", "content_hash"),
        Index("ix_signals_ws_guid", "workspace_id", "guid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="active")
    kind: Mapped[str] = mapped_column(String(16), default="entry")
    guid: Mapped[str | None] = mapped_column(String(1024))
    url: Mapped[str | None] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    date_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    type: Mapped[str] = mapped_column(String(32), default="other")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    secondary: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str | None] = mapped_column(String(64))  # None: typed without a model
    suspicious: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("signals.id", ondelete="SET NULL")
    )
    reject_reason: Mapped[str | None] = mapped_column(Text)
    junk_reason: Mapped[str | None] = mapped_column(Text)  # market-research spam and the like
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)


class SignalAccount(Base):
    """Which accounts a signal concerns; ``ambiguous`` links wait for a person to confirm,
    ``off_topic`` ones (junk, or the name in another sense) are kept with their reason but
    never reach briefs or the queue. ``aboutness`` is how surely the signal is about the
    account as an organisation (``ingestion.aboutness``)."""

    __tablename__ = "signal_accounts"
    __table_args__ = (
        UniqueConstraint("signal_id", "account_id"),
        Index("ix_signal_accounts_account_status", "account_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="matched")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    reason: Mapped[str] = mapped_column(String(200), default="")
    aboutness: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _linked_accounts(session: Session, signal: Signal) -> list[int | None]:
    """A stored signal whose status changed moves the accounts it is linked to."""
    if signal.id is None or not inspect(signal).attrs.status.history.has_changes():
        return []
    query = select(SignalAccount.account_id).where(SignalAccount.signal_id == signal.id)
    return list(session.scalars(query))


# briefs read an account's matched active signals (bulk inserts bump in the pipeline)
versions.track(Signal, _linked_accounts)
versions.track(SignalAccount, lambda session, link: [link.account_id])


class VectorOutbox(Base):
    """Signals committed in SQL whose vectors are not written yet.

    The row commits with the signal, in the same transaction; the vector is written after
    the commit and the row then deleted. A kill or a vector-store outage in between leaves
    the row, and the reconciler embeds it later: the index is eventually consistent with
    SQL, and the backlog is visible (``/readyz``, ``/metrics``).
    """

    __tablename__ = "vector_outbox"

    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
