"""On a generated pipeline of 5,000 deals with known stage transitions, every metric equals
an independent computation written here from the generator's ground truth."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dealscout.analytics.schemas import AnalyticsFilters
from dealscout.analytics.service import compute_analytics
from dealscout.coach.followups import follow_up_actions
from dealscout.coach.process import load_process
from dealscout.core.config import get_settings
from tests.support.factories import create_member, create_workspace, open_session
from tests.support.pipeline import STAGES, TruthDeal, generate, seed

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=220)
UNTIL = NOW - timedelta(days=9, hours=5)
DAY = 86400.0
TERMINAL = ("won", "lost")
PROCESS = load_process()


def days(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / DAY


def in_period(moment: datetime) -> bool:
    return SINCE <= moment <= UNTIL


def nearest_rank(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return next(v for v in ordered if sum(1 for w in ordered if w <= v) >= pct / 100 * len(ordered))


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


class Expected:
    """The metrics computed the slow, obvious way from the ground truth."""

    def __init__(self, deals: list[TruthDeal]):
        self.deals = deals
        self.seen = [(d, [c for c in d.changes if c[1] <= UNTIL]) for d in deals]
        self.seen = [(d, ch) for d, ch in self.seen if ch]
        self.cohort = [(d, ch) for d, ch in self.seen if in_period(ch[0][1])]

    @staticmethod
    def reached(changes: list[Any], stage: str) -> bool:
        entered = {s for s, _, _ in changes}
        if "won" in entered:
            return True
        if stage == "won":
            return False
        return any(STAGES.index(s) >= STAGES.index(stage) for s in entered if s in STAGES)

    def conversion(self) -> list[tuple[str, str, int, int]]:
        names = [*STAGES, "won"]
        out = []
        for a, b in zip(names, names[1:], strict=False):
            ra = sum(1 for _, ch in self.cohort if self.reached(ch, a))
            rb = sum(1 for _, ch in self.cohort if self.reached(ch, b))
            out.append((a, b, ra, rb))
        return out

    @staticmethod
    def stays(changes: list[Any]) -> list[tuple[str, float]]:
        return [
            (changes[k][0], days(changes[k][1], changes[k + 1][1]))
            for k in range(len(changes) - 1)
            if changes[k][0] in STAGES
        ]

    def typical(self) -> dict[str, float | None]:
        won = [ch for _, ch in self.seen if ch[-1][0] == "won" and in_period(ch[-1][1])]
        per: dict[str, list[float]] = defaultdict(list)
        for ch in won:
            for stage, length in self.stays(ch):
                per[stage].append(length)
        return {s: statistics.median(per[s]) if per[s] else None for s in STAGES}

    def open_at_until(self) -> list[tuple[TruthDeal, list[Any]]]:
        return [(d, ch) for d, ch in self.seen if ch[-1][0] not in TERMINAL]

    def velocity(self, low: datetime, high: datetime, low_inclusive: bool) -> dict[str, Any]:
        def closed_in(ch: list[Any]) -> bool:
            at = ch[-1][1]
            return (
                ch[-1][0] in TERMINAL and (low <= at if low_inclusive else low < at) and at <= high
            )

        def open_at(d: TruthDeal) -> bool:
            ch = [c for c in d.changes if c[1] <= high]
            return bool(ch) and ch[-1][0] not in TERMINAL

        closed = [(d, ch) for d, ch in self.seen if closed_in(ch)]
        won = [(d, ch) for d, ch in closed if ch[-1][0] == "won"]
        open_deals = sum(1 for d, _ in self.seen if open_at(d))
        rate = ratio(len(won), len(closed))
        average = statistics.fmean([d.amount or 0.0 for d, _ in won]) if won else None
        cycle = statistics.fmean([days(ch[0][1], ch[-1][1]) for _, ch in won]) if won else None
        per_day = open_deals * rate * average / cycle if won and cycle else None
        return {
            "open_deals": open_deals, "won": len(won), "lost": len(closed) - len(won),
            "win_rate": rate, "average_value": average, "cycle_days": cycle, "per_day": per_day,
        }  # fmt: skip


def months() -> list[tuple[datetime, datetime]]:
    edges = [SINCE]
    cursor = datetime(SINCE.year, SINCE.month, 1, tzinfo=UTC)
    while True:
        cursor = (cursor + timedelta(days=32)).replace(day=1)
        if cursor >= UNTIL:
            break
        edges.append(cursor)
    edges.append(UNTIL)
    return list(zip(edges, edges[1:], strict=False))


@pytest.fixture(scope="module")
def truth() -> list[TruthDeal]:
    return generate(5000, 6, NOW, seed=11)


def _check(result: Any, deals: list[TruthDeal]) -> None:
    exp = Expected(deals)
    approx = lambda v: pytest.approx(v, rel=1e-9, abs=1e-6)  # noqa: E731

    # stage conversion and the biggest drop-off
    steps = [
        (s.from_stage, s.to_stage, s.reached_from, s.reached_to)
        for s in result.stage_conversion.steps
    ]
    assert steps == exp.conversion()
    worst = min((r for r in exp.conversion() if r[2]), key=lambda r: r[3] / r[2])
    drop = result.stage_conversion.biggest_drop_off
    assert (drop.from_stage, drop.to_stage) == worst[:2]

    # time in stage, typical time, stuck deals
    typical = exp.typical()
    for row in result.time_in_stage.stages:
        stays = [length for _, ch in exp.cohort for s, length in exp.stays(ch) if s == row.stage]
        assert row.stays == len(stays)
        assert row.median_days == (approx(statistics.median(stays)) if stays else None)
        assert row.p90_days == (approx(nearest_rank(stays, 90)) if stays else None)
        assert row.typical_days == (
            None if typical[row.stage] is None else approx(typical[row.stage])
        )
    stuck = {
        d.id
        for d, ch in exp.open_at_until()
        if typical.get(ch[-1][0]) is not None and days(ch[-1][1], UNTIL) > typical[ch[-1][0]]
    }
    assert result.time_in_stage.stuck_total == len(stuck)
    assert {s.deal_id for s in result.time_in_stage.stuck} <= stuck
    excess = [s.days_in_stage - s.typical_days for s in result.time_in_stage.stuck]
    assert all(a >= b - 0.002 for a, b in zip(excess, excess[1:], strict=False))  # rounded

    # velocity, whole period and per month
    whole = exp.velocity(SINCE, UNTIL, True)
    for key, value in whole.items():
        assert getattr(result.velocity, key) == (value if value is None else approx(value)), key
    assert [(p.start, p.end) for p in result.velocity.over_time] == months()
    for point, (low, high) in zip(result.velocity.over_time, months(), strict=True):
        for key, value in exp.velocity(low, high, False).items():
            assert getattr(point, key) == (value if value is None else approx(value)), (key, low)

    # win rates
    closed = [(d, ch) for d, ch in exp.cohort if ch[-1][0] in TERMINAL]

    def rates(key: Callable[[TruthDeal], str]) -> list[tuple[str, int, int]]:
        won, lost = Counter(), Counter()
        for d, ch in closed:
            (won if ch[-1][0] == "won" else lost)[key(d)] += 1
        return [(k, won[k], lost[k]) for k in sorted(set(won) | set(lost))]

    wr = result.win_rate
    assert (wr.overall.won, wr.overall.lost) == (
        sum(1 for _, ch in closed if ch[-1][0] == "won"),
        sum(1 for _, ch in closed if ch[-1][0] == "lost"),
    )
    for row in wr.by_stage_reached:
        hits = [ch for _, ch in closed if exp.reached(ch, row.key)]
        assert (row.won, row.lost) == (
            sum(1 for ch in hits if ch[-1][0] == "won"),
            sum(1 for ch in hits if ch[-1][0] == "lost"),
        )
    assert [(r.key, r.won, r.lost) for r in wr.by_industry] == rates(
        lambda d: d.industry or "(none)"
    )
    assert [(r.key, r.won, r.lost) for r in wr.by_region] == rates(lambda d: d.region)
    assert [(r.key, r.won, r.lost) for r in wr.by_rep] == rates(lambda d: d.owner)
    amounts = [d.amount for d, _ in exp.cohort if d.amount is not None]
    quartiles = sorted({nearest_rank(amounts, p) for p in (25, 50, 75)})
    assert wr.size_edges == quartiles
    band = lambda a: f"band {1 + sum(1 for e in quartiles if e <= a)}"  # noqa: E731
    by_band = rates(lambda d: band(d.amount) if d.amount is not None else "none")
    assert [(r.key, r.won, r.lost) for r in wr.by_size if r.won + r.lost] == [
        b for b in by_band if b[0] != "none"
    ]

    # objections and missing criteria per stage
    notes = [(d, n) for d in deals for n in d.notes if in_period(n.at)]
    for groups, attr in ((result.objections, "objections"), (result.missing_criteria, "missing")):
        per_stage = Counter(n.stage for _, n in notes)
        assert {g.stage: g.notes for g in groups} == dict(per_stage)
        for g in groups:
            counts = Counter(t for _, n in notes if n.stage == g.stage for t in getattr(n, attr))
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            assert [(t.id, t.count) for t in g.top] == top

    # loss reasons
    lost = [(d, ch) for d, ch in exp.seen if ch[-1][0] == "lost" and in_period(ch[-1][1])]
    reasons = Counter(ch[-1][2] for _, ch in lost)
    assert {r.reason: r.deals for r in result.loss_reasons.reasons} == dict(reasons)
    assert result.loss_reasons.lost == len(lost)
    for r in result.loss_reasons.reasons:
        assert r.value == approx(sum(d.amount or 0 for d, ch in lost if ch[-1][2] == r.reason))

    # follow-up discipline: the deals as they are now, the rules fired by the period's end
    fired: dict[str, set[int]] = defaultdict(set)
    by_action: dict[str, set[int]] = defaultdict(set)
    open_now = [d for d in deals if d.changes[-1][0] not in TERMINAL]
    for d in open_now:
        for action in follow_up_actions(
            PROCESS, d.changes[-1][0], as_of=UNTIL.date(), proposal_sent=d.proposal_sent_on,
            last_buyer_response=d.last_buyer_activity, last_buyer_activity=d.last_buyer_activity,
        ):  # fmt: skip
            fired[action.rule_id].add(d.id)
            by_action[action.action].add(d.id)
    fu = result.follow_up
    assert fu.open_deals == len(open_now)
    assert {r.rule_id: r.deals for r in fu.rules} == {
        r.id: len(fired[r.id]) for r in PROCESS.follow_up_rules
    }
    assert fu.proposals_without_follow_up == len(by_action["follow_up_task"])
    assert fu.re_engagement_due == len(by_action["re_engagement"])
    assert fu.archive_due == len(by_action["archive_suggestion"])

    # forecast: probability-weighted open pipeline beside the supported part
    prob = {s.id: s.probability for s in PROCESS.stages}
    previous = {
        s.id: (PROCESS.stages[i - 1].exit_criteria if i else [])
        for i, s in enumerate(PROCESS.stages)
    }
    total = weighted = supported = 0.0
    for d, ch in exp.open_at_until():
        state: dict[str, bool] = {}
        for n in sorted((n for n in d.notes if n.at <= UNTIL), key=lambda n: n.at):
            state.update(dict.fromkeys(n.met, True))
            state.update(dict.fromkeys(n.contradicted, False))
        value = d.amount or 0.0
        total += value
        weighted += value * prob[ch[-1][0]] / 100
        if all(state.get(c) for c in previous[ch[-1][0]]):
            supported += value
    fc = result.forecast
    assert (fc.total_value, fc.weighted_value, fc.supported_value) == (
        approx(total),
        approx(weighted),
        approx(supported),
    )
    assert sum(s.deals for s in fc.stages) == len(exp.open_at_until())

    # coaching: share of notes meeting their stage's criteria per rep and month; overrides
    trend: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for d, n in notes:
        row = trend[(d.owner, n.at.strftime("%Y-%m"))]
        row[0] += 1
        row[1] += n.verdict == "advance"
    assert [(t.rep, t.month, t.notes, t.meeting_criteria) for t in result.coaching.trends] == [
        (k[0], k[1], v[0], v[1]) for k, v in sorted(trend.items())
    ]
    reviewed = [n for _, n in notes if n.reviewed]
    overrides = Counter(c for n in reviewed for c in n.overrides)
    assert {(o.criterion, o.overrides, o.reviews) for o in result.coaching.override_rates} == {
        (c, k, len(reviewed)) for c, k in overrides.items()
    }


def test_every_metric_matches_an_independent_computation(
    any_db: str, truth: list[TruthDeal]
) -> None:
    session = open_session(get_settings())
    workspace = create_workspace(session, "acme")
    manager = create_member(session, workspace, "mgr@pipeline.test", "manager")
    seed(session, workspace, truth, manager.user)
    session.commit()
    filters = AnalyticsFilters(since=SINCE, until=UNTIL, stuck_limit=10_000)
    _check(compute_analytics(session, manager.user, filters, now=NOW), truth)
    narrowed = filters.model_copy(update={"rep": "rep2@pipeline.test", "industry": "retail"})
    chosen = [d for d in truth if d.owner == "rep2@pipeline.test" and d.industry == "retail"]
    assert chosen
    _check(compute_analytics(session, manager.user, narrowed, now=NOW), chosen)
    session.close()
