"""Deleting accounts and deals with everything on them, under the ownership rules.

A rep deletes only what is wholly theirs: an account or deal carrying another user's deals,
notes or reviews is a manager's to delete. Every deletion lands in the audit trail with the
rows it removed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.accounts.service import get_account, sees_whole_workspace
from dealscout.accounts.trail import delete_with_trail
from dealscout.core.db import Base
from dealscout.core.errors import Forbidden
from dealscout.deals.models import CoachReportRecord, Deal, Note, Review
from dealscout.deals.service import get_deal
from dealscout.ingestion.models import Source


def _on_deals(session: Session, deal_ids: Sequence[int]) -> dict[str, list[Base]]:
    """The notes, coach reports and reviews that go with these deals."""
    notes = list(session.scalars(select(Note).where(Note.deal_id.in_(deal_ids))))
    reports = list(
        session.scalars(select(CoachReportRecord).where(CoachReportRecord.deal_id.in_(deal_ids)))
    )
    reviews = list(
        session.scalars(select(Review).where(Review.report_id.in_([r.id for r in reports])))
    )
    return {"notes": list(notes), "coach_reports": list(reports), "reviews": list(reviews)}


def _others(user: User, deals: Sequence[Deal], rows: dict[str, list[Base]]) -> list[str]:
    """What in ``deals`` and ``rows`` belongs to someone other than ``user``."""
    found = []
    if any(d.owner_id != user.id for d in deals):
        found.append("deals")
    if any(isinstance(n, Note) and n.author_id != user.id for n in rows["notes"]):
        found.append("notes")
    reviewed = (r for r in rows["reviews"] if isinstance(r, Review))
    if any(r.reviewer_id not in (None, user.id) for r in reviewed):
        found.append("reviews")
    return found


def _require_own(user: User, what: str, deals: Sequence[Deal], rows: dict[str, list[Base]]) -> None:
    if sees_whole_workspace(user):
        return
    others = _others(user, deals, rows)
    if others:
        raise Forbidden(
            f"the {what} carries other users' {' and '.join(others)}: a manager deletes it"
        )


def delete_account(session: Session, user: User, account_id: int) -> None:
    account = get_account(session, user, account_id)
    deals = list(session.scalars(select(Deal).where(Deal.account_id == account.id)))
    rows = _on_deals(session, [d.id for d in deals])
    _require_own(user, "account", deals, rows)
    sources = list(session.scalars(select(Source).where(Source.account_id == account.id)))
    cascaded: dict[str, list[Base]] = {"deals": list(deals), **rows, "sources": list(sources)}
    delete_with_trail(session, user, "account", account, cascaded)


def delete_deal(session: Session, user: User, deal_id: int) -> None:
    deal = get_deal(session, user, deal_id)
    rows = _on_deals(session, [deal.id])
    _require_own(user, "deal", [deal], rows)
    delete_with_trail(session, user, "deal", deal, rows)
