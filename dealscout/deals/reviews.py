"""Manager review of coached notes, and how often managers disagree with the coach."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, NotFound
from dealscout.deals.models import CoachReportRecord, CriterionOverride, Deal, Review
from dealscout.deals.schemas import DisagreementRow, Override, ReviewRead, ReviewSubmit


def review_read(session: Session, review: Review) -> ReviewRead:
    record = session.get(CoachReportRecord, review.report_id)
    assert record is not None  # a review always has its report (FK, cascade)
    deal = session.get(Deal, record.deal_id)
    overrides = session.execute(
        select(CriterionOverride.criterion, CriterionOverride.manager_status)
        .where(CriterionOverride.review_id == review.id)
        .order_by(CriterionOverride.id)
    )
    return ReviewRead(
        id=review.id,
        report_id=record.id,
        deal_id=record.deal_id,
        deal_name=deal.name if deal else "",
        status=review.status,
        comment=review.comment,
        reviewer_id=review.reviewer_id,
        reviewed_at=review.reviewed_at,
        verdict=record.verdict,
        risk_count=record.risk_count,
        missing=list(record.report.get("missing", [])),
        overrides=[Override(criterion=c, status=s) for c, s in overrides],  # type: ignore[arg-type]
    )


def list_reviews(
    session: Session, manager: User, status: str | None = "pending"
) -> list[ReviewRead]:
    """The team's coached notes, riskiest first: held verdicts, then most risks, then most
    missing exit criteria, then oldest."""
    require_role(manager, "manager", "admin")
    query = select(Review).where(Review.workspace_id == manager.workspace_id)
    if status:
        if status not in ("pending", "approved", "needs_work"):
            raise BadInput("status must be pending, approved or needs_work")
        query = query.where(Review.status == status)
    reviews = [review_read(session, r) for r in session.scalars(query.order_by(Review.id))]
    return sorted(
        reviews, key=lambda r: (r.verdict != "hold", -r.risk_count, -len(r.missing), r.id)
    )


def submit_review(
    session: Session, manager: User, review_id: int, data: ReviewSubmit
) -> ReviewRead:
    require_role(manager, "manager", "admin")
    review = session.get(Review, review_id)
    if review is None or review.workspace_id != manager.workspace_id:
        raise NotFound(f"review {review_id} not found")
    record = session.get(CoachReportRecord, review.report_id)
    assert record is not None
    coach_status = {c["id"]: c["status"] for c in record.report.get("criteria", [])}
    for override in data.overrides:
        if override.criterion not in coach_status:
            raise BadInput(f"criterion {override.criterion!r} is not in this report")
    review.status, review.comment = data.status, data.comment
    review.reviewer_id, review.reviewed_at = manager.id, utcnow()
    for override in data.overrides:
        if coach_status[override.criterion] == override.status:
            continue  # agreeing with the coach is not an override
        session.add(
            CriterionOverride(
                workspace_id=manager.workspace_id,
                review_id=review.id,
                criterion=override.criterion,
                coach_status=coach_status[override.criterion],
                manager_status=override.status,
            )
        )
    session.flush()
    return review_read(session, review)


def disagreement_rates(session: Session, manager: User) -> list[DisagreementRow]:
    """Per criterion: overrides over reviewed notes."""
    require_role(manager, "manager", "admin")
    reviewed = (
        session.scalar(
            select(func.count(Review.id)).where(
                Review.workspace_id == manager.workspace_id, Review.status != "pending"
            )
        )
        or 0
    )
    rows = session.execute(
        select(CriterionOverride.criterion, func.count(CriterionOverride.id))
        .where(CriterionOverride.workspace_id == manager.workspace_id)
        .group_by(CriterionOverride.criterion)
        .order_by(CriterionOverride.criterion)
    )
    return [
        DisagreementRow(
            criterion=c, overrides=n, reviews=reviewed, rate=n / reviewed if reviewed else 0.0
        )
        for c, n in rows
    ]
