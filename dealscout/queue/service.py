"""The prospecting queue: rank a rep's (or the team's) accounts and explain each score.

Reading never scans signals. Each visible account's stored summary (``mass`` at ``ref``)
gives its signal part up to rounding, so the non-signal terms — fit, open deals, the rep's
contact and snooze — are added and the accounts sorted by that estimate. Only the accounts
that can still reach the requested page (estimate within the rounding bound of the page's
floor) get their stored signal lists decoded and exact, rounded contributions. A rep's
dismissed signals are rare, so their accounts are scored exactly from the start.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only

from dealscout.accounts.models import Account, User, Workspace
from dealscout.accounts.service import (
    find_user_by_email,
    sees_whole_workspace,
    visible_accounts_query,
)
from dealscout.core.db import utcnow
from dealscout.core.errors import Forbidden, NotFound
from dealscout.deals.models import Deal
from dealscout.ingestion.models import Signal, SignalAccount
from dealscout.queue.models import AccountScore, DismissedSignal, RepAccountState
from dealscout.queue.schemas import (
    Contribution,
    ContributionKind,
    Queue,
    QueueFilters,
    QueueItem,
    Reason,
)
from dealscout.queue.scoring import (
    UNIT,
    AccountFacts,
    DealContext,
    Icp,
    OpenDeal,
    StoredTerms,
    Summary,
    contact_term,
    deal_term,
    fit_term,
    from_units,
    snooze_term,
)
from dealscout.queue.store import chunks, refresh_accounts
from dealscout.queue.text import deal_reason, fit_reason, opening_line, signal_reason
from dealscout.queue.weights import QueueWeights, resolve_weights

REASONS = 3
REASON_KINDS = ("signal", "fit", "deal")  # feedback penalties explain nothing
NO_SIGNALS = Summary(fp="", mass=0.0, ref=0, n=0, types={})


@dataclass
class _Candidate:
    account_id: int
    name: str
    fixed: dict[ContributionKind, int]
    fit_parts: list[str]
    deal: DealContext | None
    estimate: float = 0.0
    slack: float = 0.0
    terms: StoredTerms | None = None
    signals: list[tuple[int, int]] = field(default_factory=list)  # (units, signal id)

    @property
    def total(self) -> int:
        return sum(self.fixed.values()) + sum(units for units, _ in self.signals)


@dataclass
class _Context:
    """Everything one queue read shares."""

    session: Session
    weights: QueueWeights
    subject: User
    now: datetime
    dismissed: dict[int, set[int]]

    @property
    def now_s(self) -> float:
        return self.now.timestamp()


def queue_subject(session: Session, viewer: User, rep_email: str | None) -> tuple[User, int | None]:
    """Whose feedback applies, and whose accounts to keep (None: all the viewer may see)."""
    if rep_email is None:
        return viewer, None if sees_whole_workspace(viewer) else viewer.id
    rep = find_user_by_email(session, viewer.workspace_id, rep_email)
    if rep is None:
        raise NotFound(f"unknown rep {rep_email!r}")
    if rep.id != viewer.id and not sees_whole_workspace(viewer):
        raise Forbidden("reps see only their own queue")
    return rep, rep.id


def _accounts_query(viewer: User, owner_id: int | None, filters: QueueFilters) -> Select[Any]:
    query = visible_accounts_query(viewer)
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    if filters.tier:
        query = query.where(func.lower(Account.tier) == filters.tier.lower())
    if filters.region:
        query = query.where(func.lower(Account.region) == filters.region.lower())
    return query  # type: ignore[no-any-return]


def _summaries(ctx: _Context, account_ids: Select[Any]) -> dict[int, Summary | None]:
    query = select(AccountScore.account_id, AccountScore.summary).where(
        AccountScore.account_id.in_(account_ids)
    )
    return {account_id: Summary.from_json(data) for account_id, data in ctx.session.execute(query)}


def _fresh_summaries(
    ctx: _Context, ids: list[int], account_ids: Select[Any]
) -> dict[int, Summary | None]:
    """Stored rows missing or computed under other weights are refreshed first (once)."""
    summaries = _summaries(ctx, account_ids)
    fingerprint = ctx.weights.fingerprint()
    stale = [i for i in ids if (s := summaries.get(i)) is None or s.fp != fingerprint]
    if stale:
        refresh_accounts(ctx.session, stale)
        summaries = _summaries(ctx, account_ids)
    return summaries


def _load_terms(ctx: _Context, candidates: list[_Candidate]) -> None:
    missing = {c.account_id: c for c in candidates if c.terms is None}
    for chunk in chunks(sorted(missing)):
        query = select(AccountScore.account_id, AccountScore.terms).where(
            AccountScore.account_id.in_(chunk)
        )
        for account_id, terms in ctx.session.execute(query):
            missing[account_id].terms = StoredTerms.from_json(terms)


def _score_exactly(ctx: _Context, candidate: _Candidate) -> None:
    dismissed = ctx.dismissed.get(candidate.account_id, set())
    half_life = ctx.weights.half_life_days
    terms = candidate.terms.signals if candidate.terms else []
    candidate.signals = sorted(
        (
            (s.units(ctx.now_s, half_life), s.signal_id)
            for s in terms
            if s.signal_id not in dismissed
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    candidate.estimate = from_units(candidate.total)
    candidate.slack = 0.0


def _candidates(
    ctx: _Context,
    viewer: User,
    owner_id: int | None,
    filters: QueueFilters,
    icp: Icp,
) -> list[_Candidate]:
    query = _accounts_query(viewer, owner_id, filters)
    account_ids = query.with_only_columns(Account.id)
    accounts = ctx.session.execute(
        query.with_only_columns(
            Account.id, Account.name, Account.industry, Account.employee_count, Account.region
        )
    ).all()
    summaries = _fresh_summaries(ctx, [a[0] for a in accounts], account_ids)
    deals = _open_deals(ctx, account_ids)
    states = _states(ctx)
    today = ctx.now.date()
    found = []
    for account_id, name, industry, employees, region in accounts:
        fit, parts = fit_term(AccountFacts(industry, employees, region), icp, ctx.weights)
        deal_units, deal = deal_term(deals.get(account_id, []), today, ctx.weights)
        snoozed_until, contacted_at = states.get(account_id, (None, None))
        fixed: dict[ContributionKind, int] = {
            "fit": fit,
            "deal": deal_units,
            "contact": contact_term(contacted_at, ctx.now, ctx.weights),
            "snooze": snooze_term(snoozed_until, today, ctx.weights),
        }
        candidate = _Candidate(account_id, name, fixed, parts, deal)
        summary = summaries.get(account_id) or NO_SIGNALS  # created since the refresh
        if account_id in ctx.dismissed:
            _load_terms(ctx, [candidate])
            _score_exactly(ctx, candidate)
            if filters.type and not _has_type(ctx, candidate, filters.type):
                continue
        else:
            if filters.type and not summary.types.get(filters.type):
                continue
            signal_sum = summary.signal_sum(ctx.now_s, ctx.weights.half_life_days)
            candidate.estimate = from_units(sum(fixed.values())) + signal_sum
            candidate.slack = (summary.n * 0.5 + 1) / UNIT + 1e-9 * abs(signal_sum)
        found.append(candidate)
    return found


def _has_type(ctx: _Context, candidate: _Candidate, signal_type: str) -> bool:
    dismissed = ctx.dismissed.get(candidate.account_id, set())
    terms = candidate.terms.signals if candidate.terms else []
    return any(s.type == signal_type and s.signal_id not in dismissed for s in terms)


def _open_deals(ctx: _Context, account_ids: Select[Any]) -> dict[int, list[OpenDeal]]:
    query = select(Deal.account_id, Deal.stage, Deal.last_buyer_activity).where(
        Deal.workspace_id == ctx.subject.workspace_id,
        Deal.stage.not_in(ctx.weights.closed_stages),
        Deal.account_id.in_(account_ids),
    )
    deals: dict[int, list[OpenDeal]] = defaultdict(list)
    for account_id, stage, last_activity in ctx.session.execute(query):
        deals[account_id].append(OpenDeal(stage, last_activity))
    return deals


def _states(ctx: _Context) -> dict[int, tuple[date | None, datetime | None]]:
    query = select(
        RepAccountState.account_id, RepAccountState.snoozed_until, RepAccountState.contacted_at
    ).where(RepAccountState.user_id == ctx.subject.id)
    return {
        account_id: (until, contacted)
        for account_id, until, contacted in ctx.session.execute(query)
    }


def _dismissed(session: Session, user: User) -> dict[int, set[int]]:
    query = (
        select(SignalAccount.account_id, DismissedSignal.signal_id)
        .join(SignalAccount, SignalAccount.signal_id == DismissedSignal.signal_id)
        .where(DismissedSignal.user_id == user.id, SignalAccount.status == "matched")
    )
    dismissed: dict[int, set[int]] = defaultdict(set)
    for account_id, signal_id in session.execute(query):
        dismissed[account_id].add(signal_id)
    return dismissed


def _page(ctx: _Context, candidates: list[_Candidate], filters: QueueFilters) -> list[_Candidate]:
    """The exact ranking of the requested page (see the module docstring)."""
    end = filters.offset + filters.limit
    candidates.sort(key=lambda c: (-c.estimate, c.account_id))
    if filters.offset >= len(candidates):
        return []
    floor = min(c.estimate - c.slack for c in candidates[:end])
    window = [c for c in candidates if c.estimate + c.slack >= floor]
    _load_terms(ctx, window)
    for candidate in window:
        _score_exactly(ctx, candidate)
    window.sort(key=lambda c: (-c.total, c.account_id))
    return window[filters.offset : end]


def _item(candidate: _Candidate, rank: int, signals: dict[int, Signal]) -> QueueItem:
    # built without validation: thousands per page, all from typed values
    contributions = [
        Contribution.model_construct(kind="signal", signal_id=signal_id, value=from_units(units))
        for units, signal_id in candidate.signals
    ] + [
        Contribution.model_construct(kind=kind, signal_id=None, value=from_units(units))
        for kind, units in candidate.fixed.items()
    ]
    reasons: list[Reason] = []
    for contribution in sorted(contributions, key=lambda c: -c.value):
        if len(reasons) == REASONS or contribution.value <= 0:
            break
        if contribution.kind in REASON_KINDS:
            reasons.append(_reason(candidate, contribution, signals))
    top = signals[candidate.signals[0][1]] if _has_positive_signal(candidate) else None
    return QueueItem(
        account=candidate.name,
        account_id=candidate.account_id,
        score=from_units(candidate.total),
        rank=rank,
        reasons=reasons,
        contributions=contributions,
        opening_line=opening_line(candidate.name, top, candidate.fit_parts),
    )


def _has_positive_signal(candidate: _Candidate) -> bool:
    return bool(candidate.signals) and candidate.signals[0][0] > 0


def _reason(
    candidate: _Candidate, contribution: Contribution, signals: dict[int, Signal]
) -> Reason:
    if contribution.signal_id is not None:
        text = signal_reason(signals[contribution.signal_id])
        citations = [contribution.signal_id]
    elif contribution.kind == "deal" and candidate.deal is not None:
        text, citations = deal_reason(candidate.deal), []
    else:
        text, citations = fit_reason(candidate.fit_parts), []
    return Reason(text=text, citations=citations, kind=contribution.kind, value=contribution.value)


def _cited_signals(session: Session, page: list[_Candidate]) -> dict[int, Signal]:
    ids = [signal_id for c in page for _, signal_id in c.signals[:REASONS]]
    if not ids:
        return {}
    shown = load_only(
        Signal.type, Signal.title, Signal.source_name, Signal.published_at, Signal.facts
    )
    query = select(Signal).where(Signal.id.in_(ids)).options(shown)
    return {s.id: s for s in session.scalars(query)}


def build_queue(
    session: Session,
    viewer: User,
    *,
    rep_email: str | None = None,
    filters: QueueFilters | None = None,
    now: datetime | None = None,
) -> Queue:
    """The ranked, explained queue of ``viewer`` (or of the rep a manager names)."""
    filters = filters or QueueFilters()
    subject, owner_id = queue_subject(session, viewer, rep_email)
    workspace = session.get_one(Workspace, viewer.workspace_id)
    ctx = _Context(
        session, resolve_weights(workspace), subject, now or utcnow(), _dismissed(session, subject)
    )
    icp = Icp.from_profile(workspace.profile or {})
    candidates = _candidates(ctx, viewer, owner_id, filters, icp)
    page = _page(ctx, candidates, filters)
    signals = _cited_signals(session, page)
    return Queue(
        weights_version=ctx.weights.version,
        rep=subject.email if owner_id is not None else None,
        as_of=ctx.now,
        total=len(candidates),
        items=[_item(c, filters.offset + i + 1, signals) for i, c in enumerate(page)],
    )
