"""What a brief is made from, read from the store: the account record, its active matched
signals, its open deal with the last coach report, and the workspace profile."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.accounts.schemas import AccountRead
from dealscout.briefs.profile import get_profile
from dealscout.briefs.rank import SignalView, profile_stems
from dealscout.briefs.schemas import WorkspaceProfile
from dealscout.coach.schemas import CoachReport
from dealscout.deals.models import CoachReportRecord, Deal
from dealscout.deals.service import criteria_state, stage_exit_criteria
from dealscout.ingestion.injection import find_injection
from dealscout.ingestion.models import Signal
from dealscout.ingestion.queries import account_signals_query

CLOSED_STAGES = ("won", "lost")


@dataclass(frozen=True)
class DealView:
    """The account's open deal and what its last coach report said."""

    id: int
    name: str
    stage: str
    amount: float | None
    currency: str
    close_date: date | None
    verdict: str | None = None
    coached_at: datetime | None = None
    missing: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    questions: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class BriefInput:
    workspace_id: int
    account: AccountRead
    profile: WorkspaceProfile
    signals: list[SignalView]  # newest first
    deal: DealView | None
    as_of: datetime
    terms: frozenset[str] = frozenset()


def load_signals(session: Session, account_id: int) -> list[SignalView]:
    columns = (
        Signal.id, Signal.type, Signal.confidence, Signal.title, Signal.summary, Signal.url,
        Signal.published_at, Signal.first_seen_at, Signal.source_name, Signal.suspicious,
        Signal.facts,
    )  # fmt: skip
    query = account_signals_query(account_id).with_only_columns(*columns)
    rows = session.execute(query.order_by(Signal.published_at.desc(), Signal.id.desc()))
    return [
        SignalView(
            id=r.id,
            type=r.type,
            confidence=r.confidence or 0.0,
            title=r.title or "",
            summary=r.summary or "",
            url=r.url,
            published_at=r.published_at,
            first_seen_at=r.first_seen_at,
            source=r.source_name or "",
            suspicious=r.suspicious,
            facts=dict(r.facts or {}),
        )  # fmt: skip
        for r in rows
    ]


def injected_instructions(session: Session, signals: list[SignalView]) -> list[str]:
    """The sentences of the account's flagged documents that talk to a model, so the LLM
    engine can drop any answer that repeats them."""
    flagged = [s.id for s in signals if s.suspicious]
    if not flagged:
        return []
    found: list[str] = []
    rows = session.execute(
        select(Signal.title, Signal.summary, Signal.text).where(Signal.id.in_(flagged))
    )
    for row in rows:
        for part in (row.title, row.summary, row.text):
            for sentence in (part or "").replace("\n", ". ").split(". "):
                if find_injection(sentence):
                    found.append(sentence.strip())
    return found


def open_deal(session: Session, account_id: int) -> DealView | None:
    """The most recently updated open deal with its criteria over all coached notes
    (the latest word wins) measured against its current stage's exit criteria."""
    deal = session.scalar(
        select(Deal)
        .where(Deal.account_id == account_id, Deal.stage.not_in(CLOSED_STAGES))
        .order_by(Deal.updated_at.desc(), Deal.id.desc())
        .limit(1)
    )
    if deal is None:
        return None
    base = DealView(
        id=deal.id, name=deal.name, stage=deal.stage, amount=deal.amount,
        currency=deal.currency, close_date=deal.close_date,
    )  # fmt: skip
    records = session.scalars(
        select(CoachReportRecord)
        .where(CoachReportRecord.deal_id == deal.id)
        .order_by(CoachReportRecord.created_at, CoachReportRecord.id)
    ).all()
    if not records:
        return base
    latest = CoachReport.model_validate(records[-1].report)
    state = criteria_state(session, records)
    exit_criteria = stage_exit_criteria(session, deal.workspace_id, deal.stage)
    return replace(
        base,
        verdict=latest.verdict,
        coached_at=records[-1].created_at,
        missing=[c for c in exit_criteria if c not in state or state[c].status != "met"],
        risks=[risk.text for risk in latest.risks],
        questions={c.id: list(c.questions) for c in state.values()},
    )


def gather(session: Session, account: Account, as_of: datetime) -> BriefInput:
    profile = get_profile(session, account.workspace_id)
    return BriefInput(
        workspace_id=account.workspace_id,
        account=AccountRead.model_validate(account),
        profile=profile,
        signals=load_signals(session, account.id),
        deal=open_deal(session, account.id),
        as_of=as_of,
        terms=profile_stems(profile),
    )
