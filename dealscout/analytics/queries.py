"""The SQL the analytics reads: one pass per table, times as Julian day numbers so no row
pays for a datetime conversion, and counts grouped in the database where they can be."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from dealscout.accounts.models import Account, User
from dealscout.deals.models import (
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


@dataclass(frozen=True)
class Scope:
    """The deals the filters select (rep = owner, segment = account's). Unfiltered, tables
    are narrowed by their own ``workspace_id`` instead of a list of deal ids."""

    workspace_id: int
    owner_id: int | None = None
    industry: str | None = None
    region: str | None = None

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.owner_id, self.industry, self.region))

    def deal_ids(self) -> Select[Any]:
        query = select(Deal.id).where(Deal.workspace_id == self.workspace_id)
        if self.owner_id is not None:
            query = query.where(Deal.owner_id == self.owner_id)
        if self.industry is not None or self.region is not None:
            query = query.join(Account, Account.id == Deal.account_id)
            if self.industry is not None:
                query = query.where(Account.industry == self.industry)
            if self.region is not None:
                query = query.where(Account.region == self.region)
        return query

    def of(self, deal_id: Any, workspace_id: Any) -> ColumnElement[bool]:
        if self.filtered:
            return deal_id.in_(self.deal_ids())  # type: ignore[no-any-return]
        return workspace_id == self.workspace_id  # type: ignore[no-any-return]


def _rows(session: Session, query: Any) -> list[Any]:
    """Core execution on the session's connection: no ORM result processing."""
    return list(session.connection().execute(query).all())


def _raw_rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """The DBAPI's own tuples, for the few big reads of plain numbers and strings: building
    SQLAlchemy rows costs more than the query itself at 500,000 rows."""
    result = session.connection().execute(query)
    try:
        return list(result.cursor.fetchall())  # type: ignore[union-attr]
    finally:
        result.close()


def deal_rows(session: Session, scope: Scope) -> list[tuple[Any, ...]]:
    """``(id, owner id, amount, industry, region)`` per deal in scope, by id."""
    query = (
        select(Deal.id, Deal.owner_id, Deal.amount, Account.industry, Account.region)
        .join(Account, Account.id == Deal.account_id)
        .where(scope.of(Deal.id, Deal.workspace_id))
        .order_by(Deal.id)
    )
    return _raw_rows(session, query)


def user_emails(session: Session, workspace_id: int) -> dict[int, str]:
    query = select(User.id, User.email).where(User.workspace_id == workspace_id)
    return dict(_raw_rows(session, query))


def deal_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(_raw_rows(session, select(Deal.id, Deal.name).where(Deal.id.in_(ids))))


def _code(column: Any, names: Sequence[str]) -> Any:
    """``column`` as the index of its value in ``names``; any other value: ``len(names)``."""
    if not names:
        return literal(0)
    return case({name: i for i, name in enumerate(names)}, value=column, else_=len(names))


def history_rows(
    session: Session, scope: Scope, until: datetime, names: Sequence[str], reasons: Sequence[str]
) -> list[tuple[Any, ...]]:
    """``(deal_id, stage code, julian day, loss reason code)`` of every change up to
    ``until``, each deal's changes together and in order; codes index ``names`` and
    ``reasons`` (any other value: their length). Numbers only, so numpy takes them whole."""
    query = (
        select(
            StageChange.deal_id,
            _code(StageChange.to_stage, names),
            julian_day(StageChange.changed_at),
            _code(func.coalesce(StageChange.loss_reason, ""), reasons),
        )
        .where(scope.of(StageChange.deal_id, StageChange.workspace_id))
        .where(StageChange.changed_at <= until)
        .order_by(StageChange.deal_id, StageChange.changed_at, StageChange.id)
    )
    return _raw_rows(session, query)


def _reports_in(scope: Scope, since: datetime | None, until: datetime) -> ColumnElement[bool]:
    clauses = [
        scope.of(CoachReportRecord.deal_id, CoachReportRecord.workspace_id),
        CoachReportRecord.created_at <= until,
    ]
    if since is not None:
        clauses.append(CoachReportRecord.created_at >= since)
    return and_(*clauses)


def tag_counts(
    session: Session, scope: Scope, since: datetime | None, until: datetime
) -> list[Any]:
    """``(stage, objection ids, missing ids, notes)`` grouped in SQL in one scan: the
    distinct combinations are few."""
    reports = CoachReportRecord
    query = (
        select(reports.stage, reports.objection_ids, reports.missing_ids, func.count())
        .where(_reports_in(scope, since, until))
        .group_by(reports.stage, reports.objection_ids, reports.missing_ids)
    )
    return _raw_rows(session, query)


def coaching_rows(
    session: Session, scope: Scope, since: datetime | None, until: datetime
) -> list[tuple[Any, ...]]:
    """``(deal_id, julian day, 1 when the note meets its stage's criteria)`` per report."""
    advance = case((CoachReportRecord.verdict == "advance", 1), else_=0)
    query = select(
        CoachReportRecord.deal_id, julian_day(CoachReportRecord.created_at), advance
    ).where(_reports_in(scope, since, until))
    return _raw_rows(session, query)


def override_counts(
    session: Session, scope: Scope, since: datetime | None, until: datetime
) -> tuple[int, list[Any]]:
    """Reviewed notes in scope, and ``(criterion, overrides)`` among them."""
    reviewed = Review.status.in_(("approved", "needs_work"))
    total = session.scalar(
        select(func.count())
        .select_from(Review)
        .join(CoachReportRecord, CoachReportRecord.id == Review.report_id)
        .where(reviewed, _reports_in(scope, since, until))
    )
    rows = _rows(
        session,
        select(CriterionOverride.criterion, func.count())
        .join(Review, Review.id == CriterionOverride.review_id)
        .join(CoachReportRecord, CoachReportRecord.id == Review.report_id)
        .where(reviewed, _reports_in(scope, since, until))
        .group_by(CriterionOverride.criterion),
    )
    return total or 0, rows


def criteria_rows(session: Session, scope: Scope, until: datetime) -> list[Any]:
    """``(deal_id, met ids, contradicted ids)`` up to ``until`` of the deals that may be
    open then (open now, or changed since), each deal's reports in order."""
    changed_later = select(StageChange.deal_id).where(StageChange.changed_at > until)
    maybe_open = select(Deal.id).where(
        scope.of(Deal.id, Deal.workspace_id),
        or_(Deal.stage.notin_(("won", "lost")), Deal.id.in_(changed_later)),
    )
    query = (
        select(
            CoachReportRecord.deal_id, CoachReportRecord.met_ids, CoachReportRecord.contradicted_ids
        )
        .where(CoachReportRecord.deal_id.in_(maybe_open), CoachReportRecord.created_at <= until)
        .where(or_(CoachReportRecord.met_ids != "", CoachReportRecord.contradicted_ids != ""))
        .order_by(CoachReportRecord.deal_id, CoachReportRecord.created_at, CoachReportRecord.id)
    )
    return _raw_rows(session, query)


def count_when(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), literal(0))
