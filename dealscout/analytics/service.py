"""Pipeline analytics over the stage history, the deals and the stored coach reports.

Definitions (the period is ``[since, until]``; ``until`` defaults to now and history after it
is ignored; the rep and segment filters select deals by owner and by account):

- *cohort*: the deals whose first recorded stage change falls in the period. Conversion,
  win rates and time in stage describe the cohort.
- *reached*: a deal reached a stage when it entered it or any later one; a won deal reached
  every stage and ``won``. Conversion is reached(next) ÷ reached(stage); the biggest
  drop-off is the step with the lowest conversion.
- *time in stage*: completed stays (entered, then left) of cohort deals, in days; median
  and nearest-rank p90. A stage's *typical time* is the median stay of the deals won in the
  period; a deal open at ``until`` is *stuck* when its current stay exceeds that.
- *velocity*: open deals at the end × win rate × average won value ÷ average cycle (days
  from first change to won), over deals closed in the period; per calendar month too.
- *win rate*: won ÷ (won + lost) of cohort deals closed by ``until``, by stage reached, by
  size band (quartiles of the cohort's deal values unless edges are given), by industry,
  region and rep.
- *objections* / *missing criteria*: per note stage, over coach reports written in the period.
- *loss reasons*: deals lost in the period, by the reason recorded with the loss.
- *follow-up*: the process file's follow-up rules that have fired by ``until`` on open deals.
- *forecast*: open deals at ``until`` weighted by the process file's stage probability,
  beside the pipeline the notes support (the audit's rule: the previous stage's exit criteria
  met over the deal's coached notes, the latest word winning).
- *coaching*: per rep and month, the share of notes whose verdict is ``advance`` (they meet
  their stage's exit criteria); per criterion, managers' overrides ÷ reviewed notes.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.models import User
from dealscout.analytics import queries
from dealscout.analytics.metrics import (
    TERMINAL,
    History,
    Timeline,
    mean,
    median,
    percentile,
    read_history,
    share,
)
from dealscout.analytics.schemas import (
    Analytics,
    AnalyticsFilters,
    Coaching,
    CoachingTrend,
    ConversionStep,
    FollowUp,
    FollowUpRuleRow,
    Forecast,
    ForecastStage,
    LossReasonRow,
    LossReasons,
    OverrideRate,
    StageConversion,
    StageTags,
    StageTime,
    StuckDeal,
    TagCount,
    TimeInStage,
    Velocity,
    VelocityPoint,
    WinRate,
    WinRateRow,
)
from dealscout.coach.deals import workspace_process_name
from dealscout.coach.followups import add_days
from dealscout.coach.models import CoachReportRecord, Deal, StageChange
from dealscout.coach.process import FollowUpRule, SalesProcess, load_process
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, Forbidden
from dealscout.deals.history import loss_reasons

TOP_TAGS = 5
DEFAULT_TREND_DAYS = 365
NONE_KEY = "(none)"


class _Context:
    """What every section reads: the filters resolved, the deals, the history pass."""

    def __init__(self, session: Session, viewer: User, filters: AnalyticsFilters, now: datetime):
        self.session = session
        self.workspace_id = viewer.workspace_id
        self.until = filters.until or now
        self.since = filters.since
        for moment in (self.since, self.until):
            if moment is not None and moment.tzinfo is None:
                raise BadInput("analytics times need a time zone (UTC: add Z)")
        if self.since is not None and self.since >= self.until:
            raise BadInput("the period's start must be before its end")
        self.since_jd = None if self.since is None else queries.to_jd(self.since)
        self.until_jd = queries.to_jd(self.until)
        self.filters = filters
        self.process: SalesProcess = load_process(
            workspace_process_name(session, self.workspace_id)
        )
        self.stages = self.process.stage_ids
        owner = _owner_id(session, viewer, filters.rep)
        self.scope = queries.deal_scope(self.workspace_id, owner, filters.industry, filters.region)
        self.deals = {row[0]: row for row in queries.deal_rows(session, self.scope)}
        rows = queries.history_rows(session, self.scope, self.until)
        self.history: History = read_history(rows, self.stages, self.since_jd, self.until_jd)
        self.timelines = self.history.timelines

    def in_period(self, day: float | None) -> bool:
        lower = self.since_jd if self.since_jd is not None else float("-inf")
        return day is not None and lower <= day <= self.until_jd

    def cohort(self) -> Iterable[tuple[int, Timeline]]:
        return ((i, t) for i, t in self.timelines.items() if self.in_period(t.entered))

    def amount(self, deal_id: int) -> float:
        return float(self.deals[deal_id][3] or 0.0)

    def open_at_end(self) -> Iterable[tuple[int, Timeline]]:
        return ((i, t) for i, t in self.timelines.items() if t.stage not in TERMINAL)


def _owner_id(session: Session, viewer: User, rep: str | None) -> int | None:
    """Managers and admins see the workspace (or the rep they name); a rep sees only their
    own deals and is refused anyone else's."""
    if not accounts.sees_whole_workspace(viewer):
        if rep and rep.lower() != viewer.email.lower():
            raise Forbidden("reps see only their own analytics")
        return viewer.id
    if not rep:
        return None
    user = accounts.find_user_by_email(session, viewer.workspace_id, rep)
    if user is None:
        raise BadInput(f"unknown rep {rep!r}")
    return user.id


def compute_analytics(
    session: Session,
    viewer: User,
    filters: AnalyticsFilters | None = None,
    *,
    now: datetime | None = None,
) -> Analytics:
    ctx = _Context(session, viewer, filters or AnalyticsFilters(), now or utcnow())
    typical = {s: median(ctx.history.won_stays.get(s, [])) for s in ctx.stages}
    return Analytics(
        stage_conversion=stage_conversion(ctx),
        time_in_stage=time_in_stage(ctx, typical),
        velocity=velocity(ctx),
        win_rate=win_rate(ctx),
        objections=_stage_tags(ctx, CoachReportRecord.objection_ids),
        missing_criteria=_stage_tags(ctx, CoachReportRecord.missing_ids),
        loss_reasons=loss_reason_counts(ctx),
        follow_up=follow_up(ctx),
        forecast=forecast(ctx),
        coaching=coaching(ctx),
    )


def stage_conversion(ctx: _Context) -> StageConversion:
    by_reach = Counter(t.reach for _, t in ctx.cohort())
    names = [*ctx.stages, "won"]
    reached = {name: sum(n for r, n in by_reach.items() if r >= i) for i, name in enumerate(names)}
    steps = [
        ConversionStep(
            from_stage=a,
            to_stage=b,
            reached_from=reached[a],
            reached_to=reached[b],
            rate=share(reached[b], reached[a]),
        )  # fmt: skip
        for a, b in zip(names, names[1:], strict=False)
    ]
    rated = [s for s in steps if s.rate is not None]
    drop = min(rated, key=lambda s: s.rate or 0.0) if rated else None
    return StageConversion(reached=reached, steps=steps, biggest_drop_off=drop)


def time_in_stage(ctx: _Context, typical: dict[str, float | None]) -> TimeInStage:
    stuck: list[StuckDeal] = []
    for deal_id, t in ctx.open_at_end():
        limit = typical.get(t.stage)
        days = ctx.until_jd - t.stage_since
        if limit is not None and days > limit:
            stuck.append(StuckDeal(
                deal_id=deal_id, name=ctx.deals[deal_id][1], stage=t.stage,
                days_in_stage=round(days, 3), typical_days=round(limit, 3),
            ))  # fmt: skip
    stuck.sort(key=lambda s: (-(s.days_in_stage - s.typical_days), s.deal_id))
    per_stage = Counter(s.stage for s in stuck)
    rows = []
    for stage in ctx.stages:
        stays = ctx.history.cohort_stays.get(stage, [])
        rows.append(StageTime(
            stage=stage, stays=len(stays), median_days=median(stays),
            p90_days=percentile(stays, 90), typical_days=typical.get(stage),
            stuck=per_stage[stage],
        ))  # fmt: skip
    return TimeInStage(stages=rows, stuck_total=len(stuck), stuck=stuck[: ctx.filters.stuck_limit])


def _months(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Calendar-month buckets ``(start, end]`` covering the period."""
    buckets, lower = [], start
    while lower < end:
        year, month = (lower.year + 1, 1) if lower.month == 12 else (lower.year, lower.month + 1)
        upper = min(datetime(year, month, 1, tzinfo=UTC), end)
        buckets.append((lower, upper))
        lower = upper
    return buckets


class _Closings:
    """Closed deals sorted by close time, to slice any period by bisection."""

    def __init__(self, ctx: _Context):
        closed = sorted(
            (t.closed_at, i) for i, t in ctx.timelines.items() if t.closed_at is not None
        )
        self.days = [day for day, _ in closed]
        self.deals = [(i, ctx.timelines[i]) for _, i in closed]
        self.entered = sorted(t.entered for t in ctx.timelines.values())

    def open_at(self, day: float) -> int:
        return bisect.bisect_right(self.entered, day) - bisect.bisect_right(self.days, day)

    def between(
        self, low: float, high: float, *, low_inclusive: bool
    ) -> list[tuple[int, Timeline]]:
        first = (bisect.bisect_left if low_inclusive else bisect.bisect_right)(self.days, low)
        return self.deals[first : bisect.bisect_right(self.days, high)]


def _velocity_point(
    ctx: _Context, closings: _Closings, start: datetime, end: datetime, *, low_inclusive: bool
) -> VelocityPoint:
    closed = closings.between(queries.to_jd(start), queries.to_jd(end), low_inclusive=low_inclusive)
    won = [(i, t) for i, t in closed if t.stage == "won"]
    open_deals = closings.open_at(queries.to_jd(end))
    rate = share(len(won), len(closed))
    average = mean([ctx.amount(i) for i, _ in won])
    cycle = mean([(t.closed_at or t.entered) - t.entered for _, t in won])
    per_day = None
    if rate is not None and average is not None and cycle:
        per_day = open_deals * rate * average / cycle
    return VelocityPoint(
        start=start, end=end, open_deals=open_deals, won=len(won), lost=len(closed) - len(won),
        win_rate=rate, average_value=average, cycle_days=cycle, per_day=per_day,
    )  # fmt: skip


def velocity(ctx: _Context) -> Velocity:
    closings = _Closings(ctx)
    start = ctx.since or ctx.until - timedelta(days=DEFAULT_TREND_DAYS)
    first = queries.from_jd(closings.entered[0]) if closings.entered else ctx.until
    whole = _velocity_point(ctx, closings, ctx.since or first, ctx.until, low_inclusive=True)
    points = [
        _velocity_point(ctx, closings, low, high, low_inclusive=False)
        for low, high in _months(start, ctx.until)
    ]
    return Velocity(**whole.model_dump(), over_time=points)


def _rate_rows(counts: dict[str, list[int]]) -> list[WinRateRow]:
    return [
        WinRateRow(key=key, won=won, lost=lost, rate=share(won, won + lost))
        for key, (won, lost) in sorted(counts.items())
    ]


def size_edges(ctx: _Context) -> list[float]:
    if ctx.filters.size_bands is not None:
        return list(ctx.filters.size_bands)
    values = [float(ctx.deals[i][3]) for i, _ in ctx.cohort() if ctx.deals[i][3] is not None]
    quartiles = [percentile(values, p) for p in (25, 50, 75)]
    return sorted({q for q in quartiles if q is not None})


def win_rate(ctx: _Context) -> WinRate:
    edges = size_edges(ctx)
    reach_won: Counter[int] = Counter()
    reach_lost: Counter[int] = Counter()
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for deal_id, t in ctx.cohort():
        if t.stage not in TERMINAL:
            continue
        lost = int(t.stage == "lost")
        (reach_lost if lost else reach_won)[t.reach] += 1
        _, _, email, amount, industry, region = ctx.deals[deal_id]
        groups["industry"][industry or NONE_KEY][lost] += 1
        groups["region"][region or NONE_KEY][lost] += 1
        groups["rep"][email or NONE_KEY][lost] += 1
        if amount is not None:
            bands[bisect.bisect_right(edges, float(amount))][lost] += 1
    won_all, lost_all = sum(reach_won.values()), sum(reach_lost.values())
    by_stage = []
    for i, stage in enumerate(ctx.stages):
        won = sum(n for r, n in reach_won.items() if r >= i)
        lost = sum(n for r, n in reach_lost.items() if r >= i)
        by_stage.append(WinRateRow(key=stage, won=won, lost=lost, rate=share(won, won + lost)))
    bounds = [None, *edges, None]
    by_size = [
        WinRateRow(
            key=f"band {b + 1}",
            won=bands[b][0],
            lost=bands[b][1],
            rate=share(bands[b][0], sum(bands[b])),
            low=bounds[b],
            high=bounds[b + 1],
        )  # fmt: skip
        for b in range(len(edges) + 1)
    ]
    return WinRate(
        overall=WinRateRow(
            key="all", won=won_all, lost=lost_all, rate=share(won_all, won_all + lost_all)
        ),
        by_stage_reached=by_stage,
        by_size=by_size,
        size_edges=edges,
        by_industry=_rate_rows(groups["industry"]),
        by_region=_rate_rows(groups["region"]),
        by_rep=_rate_rows(groups["rep"]),
    )


def _stage_order(ctx: _Context) -> Callable[[str], tuple[int, str]]:
    index = {s: i for i, s in enumerate(ctx.stages)}
    return lambda stage: (index.get(stage, len(index)), stage)


def _stage_tags(ctx: _Context, column: Any) -> list[StageTags]:
    notes: Counter[str] = Counter()
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    for stage, joined, count in queries.tag_counts(
        ctx.session, column, ctx.scope, ctx.since, ctx.until
    ):
        notes[stage] += count
        for tag in joined.split():
            tags[stage][tag] += count
    rows = []
    for stage in sorted(notes, key=_stage_order(ctx)):
        top = sorted(tags[stage].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
        rows.append(StageTags(
            stage=stage, notes=notes[stage],
            top=[TagCount(id=t, count=n, share=n / notes[stage]) for t, n in top],
        ))  # fmt: skip
    return rows


def loss_reason_counts(ctx: _Context) -> LossReasons:
    labels = {r.code: r.label for r in loss_reasons(ctx.session, ctx.workspace_id)}
    deals: Counter[str] = Counter()
    value: dict[str, float] = defaultdict(float)
    for deal_id, t in ctx.timelines.items():
        if t.stage == "lost" and ctx.in_period(t.closed_at):
            reason = t.loss_reason or NONE_KEY
            deals[reason] += 1
            value[reason] += ctx.amount(deal_id)
    total = sum(deals.values())
    rows = [
        LossReasonRow(reason=r, label=labels.get(r, r), deals=n, value=value[r], share=n / total)
        for r, n in sorted(deals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return LossReasons(lost=total, reasons=rows)


def latest_start(rule: FollowUpRule, as_of: date) -> date:
    """The latest clock start at which ``rule`` has fired by ``as_of`` (``add_days`` is
    monotone, and never adds fewer calendar days than asked)."""
    start = as_of - timedelta(days=rule.after_days)
    while add_days(start, rule.after_days, business=rule.business_days) > as_of:
        start -= timedelta(days=1)
    return start


def _rule_fired(rule: FollowUpRule, as_of: date) -> Any:
    stage = Deal.stage.in_(rule.stages) if rule.stages else Deal.stage.notin_(TERMINAL)
    start = latest_start(rule, as_of)
    if rule.trigger == "no_buyer_activity":
        return and_(stage, Deal.last_buyer_activity <= start)
    unanswered = or_(
        Deal.last_buyer_activity.is_(None), Deal.last_buyer_activity < Deal.proposal_sent_on
    )
    return and_(stage, Deal.proposal_sent_on <= start, unanswered)


def follow_up(ctx: _Context) -> FollowUp:
    """Counted on the deals as they are now, at the date of the period's end."""
    as_of = ctx.until.date()
    rules = ctx.process.follow_up_rules
    actions = ("follow_up_task", "re_engagement", "archive_suggestion")
    columns = [queries.count_when(Deal.stage.notin_(TERMINAL))]
    columns += [queries.count_when(_rule_fired(r, as_of)) for r in rules]
    for action in actions:
        fired = [_rule_fired(r, as_of) for r in rules if r.action == action]
        columns.append(
            queries.count_when(or_(*fired)) if fired else queries.count_when(Deal.id < 0)
        )
    counts = ctx.session.execute(select(*columns).where(Deal.id.in_(ctx.scope))).one()
    return FollowUp(
        as_of=ctx.until,
        open_deals=counts[0],
        rules=[
            FollowUpRuleRow(
                rule_id=r.id,
                trigger=r.trigger,
                action=r.action,
                after_days=r.after_days,
                deals=counts[1 + i],
            )  # fmt: skip
            for i, r in enumerate(rules)
        ],
        proposals_without_follow_up=counts[1 + len(rules)],
        re_engagement_due=counts[2 + len(rules)],
        archive_due=counts[3 + len(rules)],
    )


def _supported(ctx: _Context) -> set[int]:
    """Deals open at the end whose notes show the previous stage's exit criteria."""
    needs = {
        stage.id: list(ctx.process.stages[i - 1].exit_criteria) if i else []
        for i, stage in enumerate(ctx.process.stages)
    }
    open_ids = {i for i, _ in ctx.open_at_end()}
    changed_later = select(StageChange.deal_id).where(StageChange.changed_at > ctx.until)
    candidates = ctx.scope.where(or_(Deal.stage.notin_(TERMINAL), Deal.id.in_(changed_later)))
    state: dict[int, dict[str, bool]] = defaultdict(dict)
    for deal_id, met, contradicted in queries.criteria_rows(ctx.session, candidates, ctx.until):
        if deal_id in open_ids:
            known = state[deal_id]
            known.update(dict.fromkeys(met.split(), True))
            known.update(dict.fromkeys(contradicted.split(), False))
    return {
        i
        for i in open_ids
        if all(state[i].get(c, False) for c in needs.get(ctx.timelines[i].stage, []))
    }


def forecast(ctx: _Context) -> Forecast:
    probability = {s.id: s.probability for s in ctx.process.stages}
    supported = _supported(ctx)
    sums: dict[str, list[float]] = {s: [0, 0.0, 0.0] for s in ctx.stages}
    for deal_id, t in ctx.open_at_end():
        if t.stage in sums:
            row = sums[t.stage]
            row[0] += 1
            row[1] += ctx.amount(deal_id)
            row[2] += ctx.amount(deal_id) if deal_id in supported else 0.0
    stages = [
        ForecastStage(
            stage=s,
            probability=probability[s],
            deals=int(n),
            value=v,
            weighted=v * probability[s] / 100,
            supported_value=sv,
            supported_weighted=sv * probability[s] / 100,
        )  # fmt: skip
        for s, (n, v, sv) in sums.items()
    ]
    return Forecast(
        as_of=ctx.until,
        stages=stages,
        total_value=sum(s.value for s in stages),
        weighted_value=sum(s.weighted for s in stages),
        supported_value=sum(s.supported_value for s in stages),
        supported_weighted=sum(s.supported_weighted for s in stages),
    )


def coaching(ctx: _Context) -> Coaching:
    months: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    epoch = date(1970, 1, 1)
    for email, day, notes, advance in queries.coaching_days(
        ctx.session, ctx.scope, ctx.since, ctx.until
    ):
        month = (epoch + timedelta(days=int(day))).strftime("%Y-%m")
        row = months[(email or NONE_KEY, month)]
        row[0] += notes
        row[1] += int(advance or 0)
    trends = [
        CoachingTrend(rep=rep, month=month, notes=n, meeting_criteria=a, share=a / n)
        for (rep, month), (n, a) in sorted(months.items())
    ]
    reviewed, overrides = queries.override_counts(ctx.session, ctx.scope, ctx.since, ctx.until)
    rates = [
        OverrideRate(
            criterion=c, overrides=n, reviews=reviewed, rate=n / reviewed if reviewed else 0.0
        )
        for c, n in sorted(overrides)
    ]
    return Coaching(trends=trends, override_rates=rates)


def headline(result: Analytics) -> list[str]:
    """The few lines a manager's weekly digest leads with."""
    lines = []
    rate = result.win_rate.overall.rate
    lines.append(
        f"Win rate: {'n/a' if rate is None else f'{rate:.0%}'} "
        f"({result.win_rate.overall.won} won, {result.win_rate.overall.lost} lost)"
    )
    if result.velocity.per_day is not None:
        lines.append(
            f"Velocity: {result.velocity.per_day:,.0f} per day "
            f"({result.velocity.open_deals} open deals)"
        )
    drop = result.stage_conversion.biggest_drop_off
    if drop is not None and drop.rate is not None:
        lines.append(f"Biggest drop-off: {drop.from_stage} → {drop.to_stage} ({drop.rate:.0%})")
    lines.append(
        f"Forecast: {result.forecast.weighted_value:,.0f} weighted; "
        f"{result.forecast.supported_value:,.0f} of {result.forecast.total_value:,.0f} "
        "supported by the notes"
    )
    return lines
