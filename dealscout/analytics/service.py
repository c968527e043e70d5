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
- *follow-up*: the process file's follow-up rules that have fired by ``until`` on the deals
  open now (their proposal and buyer-activity dates are kept as of now, not as history).
- *forecast*: open deals at ``until`` weighted by the process file's stage probability,
  beside the pipeline the notes support (the audit's rule: the previous stage's exit criteria
  met over the deal's coached notes, the latest word winning), read from the stored coach
  reports rather than by judging every note again, so it stays fast at 100,000 deals.
- *coaching*: per rep and month, the share of notes whose verdict is ``advance`` (they meet
  their stage's exit criteria); per criterion, managers' overrides ÷ reviewed notes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.models import User
from dealscout.analytics import queries
from dealscout.analytics.metrics import (
    TERMINAL,
    Bools,
    History,
    Ints,
    mean,
    median,
    numeric_table,
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
from dealscout.coach.followups import add_days
from dealscout.coach.process import FollowUpRule, SalesProcess, load_process
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, Forbidden
from dealscout.deals.history import loss_reasons
from dealscout.deals.models import Deal
from dealscout.deals.service import workspace_process_name

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
        self.lower = -np.inf if self.since is None else queries.to_jd(self.since)
        self.until_jd = queries.to_jd(self.until)
        self.filters = filters
        self.process: SalesProcess = load_process(
            workspace_process_name(session, self.workspace_id)
        )
        self.stages = self.process.stage_ids
        owner = _owner_id(session, viewer, filters.rep)
        self.scope = queries.Scope(self.workspace_id, owner, filters.industry, filters.region)
        names = [*self.stages, *TERMINAL]
        self.reasons = loss_reasons(session, self.workspace_id)
        codes = [r.code for r in self.reasons]
        rows = queries.history_rows(session, self.scope, self.until, names, codes)
        self.h: History = read_history(rows, self.stages)
        self.entered_sorted = np.sort(self.h.entered)
        self.closed_sorted = np.sort(self.h.closed[self.h.terminal])
        emails = queries.user_emails(session, self.workspace_id)
        self._deal_info(queries.deal_rows(session, self.scope), emails)

    def _deal_info(self, rows: list[tuple[Any, ...]], emails: dict[int, str]) -> None:
        """Owner, amount and segment aligned with the history's deals."""
        self.all_ids = np.asarray([r[0] for r in rows], dtype=np.int64)  # ordered by id
        owners = [emails.get(r[1], NONE_KEY) if r[1] is not None else NONE_KEY for r in rows]
        self.owner_names, self.all_owner = _factorize(owners)
        at = np.searchsorted(self.all_ids, self.h.ids)
        picked = [rows[i] for i in at.tolist()]
        self.owner = self.all_owner[at]
        self.amount_raw = np.asarray(
            [np.nan if r[2] is None else r[2] for r in picked], dtype=np.float64
        )
        self.amount = np.nan_to_num(self.amount_raw)
        self.industry_names, self.industry = _factorize([r[3] or NONE_KEY for r in picked])
        self.region_names, self.region = _factorize([r[4] or NONE_KEY for r in picked])

    def in_period(self, days: Any) -> Bools:
        return (days >= self.lower) & (days <= self.until_jd)  # type: ignore[no-any-return]

    @property
    def cohort(self) -> Bools:
        return self.in_period(self.h.entered)


def _factorize(values: list[str]) -> tuple[list[str], Ints]:
    """Distinct values (first-seen order) and each value's index among them."""
    index: dict[str, int] = {}
    codes = [index.setdefault(v, len(index)) for v in values]
    return list(index), np.asarray(codes, dtype=np.int64)


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
    tags = stage_tags(ctx)
    return Analytics(
        stage_conversion=stage_conversion(ctx),
        time_in_stage=time_in_stage(ctx),
        velocity=velocity(ctx),
        win_rate=win_rate(ctx),
        objections=tags[0],
        missing_criteria=tags[1],
        loss_reasons=loss_reason_counts(ctx),
        follow_up=follow_up(ctx),
        forecast=forecast(ctx),
        coaching=coaching(ctx),
    )


def stage_conversion(ctx: _Context) -> StageConversion:
    reach = ctx.h.reach[ctx.cohort]
    names = [*ctx.stages, "won"]
    reached = {name: int((reach >= i).sum()) for i, name in enumerate(names)}
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


def time_in_stage(ctx: _Context) -> TimeInStage:
    h = ctx.h
    deal_won = (h.stage == h.won_code) & ctx.in_period(h.closed)
    in_cohort, by_won = ctx.cohort[h.stay_deal], deal_won[h.stay_deal]
    typical = np.full(len(h.names) + 1, np.nan)
    rows = []
    for code, stage in enumerate(ctx.stages):
        here = h.stay_stage == code
        stays = h.stay_days[here & in_cohort]
        usual = median(h.stay_days[here & by_won])
        typical[code] = np.nan if usual is None else usual
        rows.append(StageTime(
            stage=stage, stays=len(stays), median_days=median(stays),
            p90_days=percentile(stays, 90), typical_days=usual, stuck=0,
        ))  # fmt: skip
    limit = typical[h.stage]
    excess = (ctx.until_jd - h.since) - limit
    stuck = np.flatnonzero(h.open & (excess > 0))
    for row in rows:
        row.stuck = int((h.stage[stuck] == ctx.stages.index(row.stage)).sum())
    order = stuck[np.lexsort((h.ids[stuck], -excess[stuck]))][: ctx.filters.stuck_limit]
    names = queries.deal_names(ctx.session, [int(h.ids[i]) for i in order])
    listed = [
        StuckDeal(
            deal_id=int(h.ids[i]),
            name=names[int(h.ids[i])],
            stage=h.names[h.stage[i]],
            days_in_stage=round(float(ctx.until_jd - h.since[i]), 3),
            typical_days=round(float(limit[i]), 3),
        )  # fmt: skip
        for i in order
    ]
    return TimeInStage(stages=rows, stuck_total=len(stuck), stuck=listed)


def _months(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Calendar-month buckets ``(start, end]`` covering the period."""
    buckets, lower = [], start
    while lower < end:
        year, month = (lower.year + 1, 1) if lower.month == 12 else (lower.year, lower.month + 1)
        upper = min(datetime(year, month, 1, tzinfo=UTC), end)
        buckets.append((lower, upper))
        lower = upper
    return buckets


def _velocity_point(ctx: _Context, start: datetime, end: datetime, *, whole: bool) -> VelocityPoint:
    h, low, high = ctx.h, queries.to_jd(start), queries.to_jd(end)
    after = h.closed >= low if whole else h.closed > low
    closed = after & (h.closed <= high)
    won = closed & (h.stage == h.won_code)
    entered_by = np.searchsorted(ctx.entered_sorted, high, side="right")
    open_deals = int(entered_by - np.searchsorted(ctx.closed_sorted, high, side="right"))
    n_won, n_closed = int(won.sum()), int(closed.sum())
    rate, average = share(n_won, n_closed), mean(ctx.amount[won])
    cycle = mean(h.closed[won] - h.entered[won])
    per_day = None
    if rate is not None and average is not None and cycle:
        per_day = open_deals * rate * average / cycle
    return VelocityPoint(
        start=start, end=end, open_deals=open_deals, won=n_won, lost=n_closed - n_won,
        win_rate=rate, average_value=average, cycle_days=cycle, per_day=per_day,
    )  # fmt: skip


def velocity(ctx: _Context) -> Velocity:
    h = ctx.h
    first = queries.from_jd(float(ctx.entered_sorted[0])) if len(h.ids) else ctx.until
    whole = _velocity_point(ctx, ctx.since or first, ctx.until, whole=True)
    start = ctx.since or ctx.until - timedelta(days=DEFAULT_TREND_DAYS)
    points = [_velocity_point(ctx, a, b, whole=False) for a, b in _months(start, ctx.until)]
    return Velocity(**whole.model_dump(), over_time=points)


def _rate_rows(names: list[str], codes: Ints, won: Bools, lost: Bools) -> list[WinRateRow]:
    """Won and lost per key (``codes`` index ``names``), keys with a closed deal only."""
    won_n = np.bincount(codes[won], minlength=len(names))
    lost_n = np.bincount(codes[lost], minlength=len(names))
    rows = [
        WinRateRow(key=key, won=int(w), lost=int(x), rate=share(int(w), int(w + x)))
        for key, w, x in zip(names, won_n, lost_n, strict=True)
        if w + x
    ]
    return sorted(rows, key=lambda r: r.key)


def size_edges(ctx: _Context) -> list[float]:
    if ctx.filters.size_bands is not None:
        return list(ctx.filters.size_bands)
    values = ctx.amount_raw[ctx.cohort]
    values = values[~np.isnan(values)]
    quartiles = [percentile(values, p) for p in (25, 50, 75)]
    return sorted({q for q in quartiles if q is not None})


def _row(key: str, won: Bools, lost: Bools, **bounds: float | None) -> WinRateRow:
    n_won, n_lost = int(won.sum()), int(lost.sum())
    return WinRateRow(key=key, won=n_won, lost=n_lost, rate=share(n_won, n_won + n_lost), **bounds)


def win_rate(ctx: _Context) -> WinRate:
    h = ctx.h
    closed = ctx.cohort & h.terminal
    won, lost = closed & (h.stage == h.won_code), closed & (h.stage == h.lost_code)
    edges = size_edges(ctx)
    has_amount = ~np.isnan(ctx.amount_raw)
    band = np.searchsorted(np.asarray(edges, dtype=np.float64), ctx.amount_raw, side="right")
    bounds = [None, *edges, None]
    return WinRate(
        overall=_row("all", won, lost),
        by_stage_reached=[
            _row(stage, won & (h.reach >= i), lost & (h.reach >= i))
            for i, stage in enumerate(ctx.stages)
        ],
        by_size=[
            _row(
                f"band {b + 1}",
                won & has_amount & (band == b),
                lost & has_amount & (band == b),
                low=bounds[b],
                high=bounds[b + 1],
            )  # fmt: skip
            for b in range(len(edges) + 1)
        ],
        size_edges=edges,
        by_industry=_rate_rows(ctx.industry_names, ctx.industry, won, lost),
        by_region=_rate_rows(ctx.region_names, ctx.region, won, lost),
        by_rep=_rate_rows(ctx.owner_names, ctx.owner, won, lost),
    )


def _stage_order(ctx: _Context) -> Callable[[str], tuple[int, str]]:
    index = {s: i for i, s in enumerate(ctx.stages)}
    return lambda stage: (index.get(stage, len(index)), stage)


def _top(ctx: _Context, notes: Counter[str], tags: dict[str, Counter[str]]) -> list[StageTags]:
    rows = []
    for stage in sorted(notes, key=_stage_order(ctx)):
        top = sorted(tags[stage].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
        rows.append(StageTags(
            stage=stage, notes=notes[stage],
            top=[TagCount(id=t, count=n, share=n / notes[stage]) for t, n in top],
        ))  # fmt: skip
    return rows


def stage_tags(ctx: _Context) -> tuple[list[StageTags], list[StageTags]]:
    """Objections and missing exit criteria per note stage."""
    notes: Counter[str] = Counter()
    objections: dict[str, Counter[str]] = defaultdict(Counter)
    missing: dict[str, Counter[str]] = defaultdict(Counter)
    for stage, raised, lacking, count in queries.tag_counts(
        ctx.session, ctx.scope, ctx.since, ctx.until
    ):
        notes[stage] += count
        for tag in raised.split():
            objections[stage][tag] += count
        for tag in lacking.split():
            missing[stage][tag] += count
    return _top(ctx, notes, objections), _top(ctx, notes, missing)


def loss_reason_counts(ctx: _Context) -> LossReasons:
    h = ctx.h
    codes = [r.code for r in ctx.reasons]
    labels = {r.code: r.label for r in ctx.reasons}
    picked = (h.stage == h.lost_code) & ctx.in_period(h.closed)
    reason = np.where(
        (h.loss_reason >= 0) & (h.loss_reason < len(codes)), h.loss_reason, len(codes)
    )
    deals = np.bincount(reason[picked], minlength=len(codes) + 1)
    value = np.bincount(reason[picked], weights=ctx.amount[picked], minlength=len(codes) + 1)
    names = [*codes, NONE_KEY]
    total = int(picked.sum())
    rows = [
        LossReasonRow(
            reason=names[i],
            label=labels.get(names[i], names[i]),
            deals=int(deals[i]),
            value=float(value[i]),
            share=int(deals[i]) / total,
        )  # fmt: skip
        for i in np.flatnonzero(deals)
    ]
    rows.sort(key=lambda r: (-r.deals, r.reason))
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
    scoped = select(*columns).where(ctx.scope.of(Deal.id, Deal.workspace_id))
    counts = ctx.session.execute(scoped).one()
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


def _supported(ctx: _Context) -> Bools:
    """Per deal: open at the end, and its notes show the previous stage's exit criteria."""
    h = ctx.h
    needs = [
        list(ctx.process.stages[i - 1].exit_criteria) if i else [] for i in range(len(ctx.stages))
    ]
    position = {int(deal_id): i for i, deal_id in enumerate(h.ids[h.open])}
    state: dict[int, dict[str, bool]] = {}
    for deal_id, met, contradicted in queries.criteria_rows(ctx.session, ctx.scope, ctx.until):
        known = state.get(deal_id)
        if known is None:
            if deal_id not in position:
                continue
            known = state[deal_id] = {}
        for criterion in met.split():
            known[criterion] = True
        for criterion in contradicted.split():
            known[criterion] = False
    supported = np.zeros(len(h.ids), dtype=bool)
    open_index = np.flatnonzero(h.open)
    for deal_id, i in position.items():
        known = state.get(deal_id, {})
        stage = int(h.stage[open_index[i]])
        supported[open_index[i]] = all(known.get(c, False) for c in needs[stage])
    return supported


def forecast(ctx: _Context) -> Forecast:
    h, n = ctx.h, len(ctx.stages)
    supported = _supported(ctx)
    open_stage = np.where(h.open, h.stage, n)
    count = np.bincount(open_stage, minlength=n + 1)
    value = np.bincount(open_stage, weights=ctx.amount, minlength=n + 1)
    backed = np.bincount(open_stage, weights=np.where(supported, ctx.amount, 0.0), minlength=n + 1)
    stages = []
    for code, stage in enumerate(ctx.process.stages):
        p = stage.probability
        stages.append(ForecastStage(
            stage=stage.id, probability=p, deals=int(count[code]), value=float(value[code]),
            weighted=float(value[code]) * p / 100, supported_value=float(backed[code]),
            supported_weighted=float(backed[code]) * p / 100,
        ))  # fmt: skip
    return Forecast(
        as_of=ctx.until,
        stages=stages,
        total_value=sum(s.value for s in stages),
        weighted_value=sum(s.weighted for s in stages),
        supported_value=sum(s.supported_value for s in stages),
        supported_weighted=sum(s.supported_weighted for s in stages),
    )


def _trends(ctx: _Context) -> list[CoachingTrend]:
    """Notes and notes meeting their stage's criteria per deal owner and calendar month."""
    table = numeric_table(queries.coaching_rows(ctx.session, ctx.scope, ctx.since, ctx.until), 3)
    owner_code = ctx.all_owner[np.searchsorted(ctx.all_ids, table[:, 0].astype(np.int64))]
    days = np.floor(table[:, 1] - queries.UNIX_EPOCH_JD).astype(np.int64)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    names = ctx.owner_names
    keys, group = np.unique(owner_code * 100_000 + months, return_inverse=True)
    notes = np.bincount(group, minlength=len(keys))
    advance = np.bincount(group, weights=table[:, 2], minlength=len(keys))
    trends = []
    for k, key in enumerate(keys.tolist()):
        month = key % 100_000
        trends.append(CoachingTrend(
            rep=names[key // 100_000], month=f"{1970 + month // 12:04d}-{month % 12 + 1:02d}",
            notes=int(notes[k]), meeting_criteria=int(advance[k]),
            share=float(advance[k]) / int(notes[k]),
        ))  # fmt: skip
    return sorted(trends, key=lambda t: (t.rep, t.month))


def coaching(ctx: _Context) -> Coaching:
    trends = _trends(ctx)
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
