"""The SQL the analytics reads: one pass per table, times as Julian day numbers so no row
pays for a datetime conversion, and counts grouped in the database where they can be."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from dealscout.accounts.models import Account, User
from dealscout.coach.models import (
    CoachReportRecord,
    CriterionOverride,
    Deal,
    Review,
    StageChange,
)

UNIX_EPOCH_JD = 2440587.5


class julian_day(FunctionElement[float]):  # noqa: N801  (a SQL function's name)
    """A timestamp column as a fractional Julian day number, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True


@compiles(julian_day, "sqlite")
def _jd_sqlite(element: julian_day, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(julian_day)
def _jd_default(element: julian_day, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"(EXTRACT(EPOCH FROM {inner}) / 86400.0 + {UNIX_EPOCH_JD})"


def to_jd(moment: datetime) -> float:
    return moment.timestamp() / 86400.0 + UNIX_EPOCH_JD


def from_jd(day: float) -> datetime:
    return datetime.fromtimestamp((day - UNIX_EPOCH_JD) * 86400.0, tz=UTC)


def deal_scope(
    workspace_id: int, owner_id: int | None, industry: str | None, region: str | None
) -> Select[Any]:
    """The ids of the deals the filters select (rep = owner, segment = account's)."""
    query = select(Deal.id).where(Deal.workspace_id == workspace_id)
    if owner_id is not None:
        query = query.where(Deal.owner_id == owner_id)
    if industry is not None or region is not None:
        query = query.join(Account, Account.id == Deal.account_id)
        if industry is not None:
            query = query.where(Account.industry == industry)
        if region is not None:
            query = query.where(Account.region == region)
    return query


def deal_rows(session: Session, scope: Select[Any]) -> list[Any]:
    """``(id, name, owner email, amount, industry, region)`` per deal in scope."""
    query = (
        select(Deal.id, Deal.name, User.email, Deal.amount, Account.industry, Account.region)
        .join(Account, Account.id == Deal.account_id)
        .outerjoin(User, User.id == Deal.owner_id)
        .where(Deal.id.in_(scope))
    )
    return list(session.execute(query))


def history_rows(session: Session, scope: Select[Any], until: datetime) -> list[Any]:
    """``(deal_id, to_stage, julian day, loss_reason)`` of every change up to ``until``,
    each deal's changes together and in order."""
    query = (
        select(
            StageChange.deal_id,
            StageChange.to_stage,
            julian_day(StageChange.changed_at),
            StageChange.loss_reason,
        )
        .where(StageChange.deal_id.in_(scope), StageChange.changed_at <= until)
        .order_by(StageChange.deal_id, StageChange.changed_at, StageChange.id)
    )
    return list(session.execute(query))


def _reports_in(scope: Select[Any], since: datetime | None, until: datetime) -> ColumnElement[bool]:
    clauses = [CoachReportRecord.deal_id.in_(scope), CoachReportRecord.created_at <= until]
    if since is not None:
        clauses.append(CoachReportRecord.created_at >= since)
    return and_(*clauses)


def tag_counts(
    session: Session, column: Any, scope: Select[Any], since: datetime | None, until: datetime
) -> list[Any]:
    """``(stage, tag string, notes)`` grouped in SQL: the distinct tag combinations are few."""
    query = (
        select(CoachReportRecord.stage, column, func.count())
        .where(_reports_in(scope, since, until))
        .group_by(CoachReportRecord.stage, column)
    )
    return list(session.execute(query))


def coaching_days(
    session: Session, scope: Select[Any], since: datetime | None, until: datetime
) -> list[Any]:
    """``(owner email, day number, notes, notes meeting their stage's criteria)``."""
    day = func.floor(julian_day(CoachReportRecord.created_at) - UNIX_EPOCH_JD)
    advance = func.sum(case((CoachReportRecord.verdict == "advance", 1), else_=0))
    query = (
        select(User.email, day, func.count(), advance)
        .select_from(CoachReportRecord)
        .join(Deal, Deal.id == CoachReportRecord.deal_id)
        .outerjoin(User, User.id == Deal.owner_id)
        .where(_reports_in(scope, since, until))
        .group_by(User.email, day)
    )
    return list(session.execute(query))


def override_counts(
    session: Session, scope: Select[Any], since: datetime | None, until: datetime
) -> tuple[int, list[Any]]:
    """Reviewed notes in scope, and ``(criterion, overrides)`` among them."""
    reviewed = (
        select(Review.id)
        .join(CoachReportRecord, CoachReportRecord.id == Review.report_id)
        .where(_reports_in(scope, since, until), Review.status != "pending")
    )
    total = session.scalar(select(func.count()).select_from(reviewed.subquery())) or 0
    rows = session.execute(
        select(CriterionOverride.criterion, func.count())
        .where(CriterionOverride.review_id.in_(reviewed))
        .group_by(CriterionOverride.criterion)
    )
    return total, list(rows)


def criteria_rows(session: Session, deal_ids: Select[Any], until: datetime) -> list[Any]:
    """``(deal_id, met ids, contradicted ids)`` of the deals' reports up to ``until``, each
    deal's reports in order (the latest word wins)."""
    query = (
        select(
            CoachReportRecord.deal_id, CoachReportRecord.met_ids, CoachReportRecord.contradicted_ids
        )
        .where(CoachReportRecord.deal_id.in_(deal_ids), CoachReportRecord.created_at <= until)
        .where(or_(CoachReportRecord.met_ids != "", CoachReportRecord.contradicted_ids != ""))
        .order_by(CoachReportRecord.deal_id, CoachReportRecord.created_at, CoachReportRecord.id)
    )
    return list(session.execute(query))


def count_when(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), literal(0))
