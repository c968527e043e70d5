"""Deals, their notes, coach reports and manager reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from dealscout.accounts import versions
from dealscout.core.db import Base, UTCDateTime, utcnow


class Deal(Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(64))
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    close_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    last_buyer_activity: Mapped[date | None] = mapped_column(Date)
    proposal_sent_on: Mapped[date | None] = mapped_column(Date)
    loss_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CoachReportRecord(Base):
    """A stored coach report (the CONTRACT §5 JSON in ``report``)."""

    __tablename__ = "coach_reports"
    # Covering index for the analytics' count of objections and missing criteria per stage:
    # grouped in index order, never reading the JSON. ``workspace_id`` is not its first
    # column, so SQLite does not pick it for plain workspace lookups (a slower plan there).
    __table_args__ = (
        Index(
            "ix_coach_reports_stage_tags",
            "stage", "objection_ids", "missing_ids", "workspace_id", "created_at",
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), unique=True)
    stage: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16))
    process_name: Mapped[str] = mapped_column(String(200))
    process_version: Mapped[str] = mapped_column(String(64))
    risk_count: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The report's verdict-relevant ids as space-separated text, so analytics counts them in
    # one pass without parsing the JSON: criteria met / contradicted, the stage's missing
    # exit criteria, and the objection categories (see ``report_tags``).
    met_ids: Mapped[str] = mapped_column(Text, default="")
    contradicted_ids: Mapped[str] = mapped_column(Text, default="")
    missing_ids: Mapped[str] = mapped_column(Text, default="")
    objection_ids: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Review(Base):
    """A manager's review of one coached note: ``pending``, ``approved`` or ``needs_work``."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int] = mapped_column(
        ForeignKey("coach_reports.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CriterionOverride(Base):
    """A manager marking a criterion against the coach; counted for disagreement rates."""

    __tablename__ = "criterion_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(64))
    coach_status: Mapped[str] = mapped_column(String(16))
    manager_status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _deal_accounts(session: Session, deal: Deal) -> list[int | None]:
    """The deal's account, and the one it left if it moved."""
    return [deal.account_id, *inspect(deal).attrs.account_id.history.deleted]


def _deal_account(session: Session, deal_id: int | None) -> list[int | None]:
    deal = session.get(Deal, deal_id) if deal_id is not None else None
    return [deal.account_id if deal is not None else None]


def _report_account(session: Session, report_id: int | None) -> list[int | None]:
    report = session.get(CoachReportRecord, report_id) if report_id is not None else None
    return _deal_account(session, report.deal_id if report is not None else None)


def _override_account(session: Session, override: CriterionOverride) -> list[int | None]:
    review = session.get(Review, override.review_id) if override.review_id is not None else None
    return _report_account(session, review.report_id if review is not None else None)


# an account's brief reads its deals, their latest coach report and the managers' overrides
versions.track(Deal, _deal_accounts)
versions.track(CoachReportRecord, lambda session, r: _deal_account(session, r.deal_id))
versions.track(CriterionOverride, _override_account)


def report_tags(report: dict[str, Any]) -> dict[str, str]:
    """The denormalized id columns of a coach report (CONTRACT §5 JSON)."""
    criteria = report.get("criteria", [])
    return {
        "met_ids": " ".join(c["id"] for c in criteria if c.get("status") == "met"),
        "contradicted_ids": " ".join(
            c["id"] for c in criteria if c.get("status") == "contradicted"
        ),
        "missing_ids": " ".join(report.get("missing", [])),
        "objection_ids": " ".join(o["category"] for o in report.get("objections", [])),
    }


class StageChange(Base):
    """One stage change of a deal: when, by whom, through which door; ``to_stage`` ``lost``
    carries the loss reason. The first row of a deal has no ``from_stage``."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(64))
    to_stage: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="api")  # api|web|import|cli|...
    loss_reason: Mapped[str | None] = mapped_column(String(64))


class LossReason(Base):
    """A workspace's list of loss reasons (seeded with the shipped defaults on first use)."""

    __tablename__ = "loss_reasons"
    __table_args__ = (UniqueConstraint("workspace_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReviewEvent(Base):
    """One submission of a review: the review row holds the latest, these keep them all."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
