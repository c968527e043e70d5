"""A generated pipeline with known stage transitions, seeded with Core inserts, and the
ground truth the tests compute their expected metrics from (tests and the bench share it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User, Workspace
from dealscout.deals.models import (
    CoachReportRecord,
    CriterionOverride,
    Deal,
    Note,
    Review,
    StageChange,
)

STAGES = ["prospect", "qualify", "discover", "present", "propose", "negotiate", "close"]
INDUSTRIES = ["logistics", "healthcare", "retail", None]
REGIONS = ["NA", "EMEA", "APAC"]
CRITERIA = [
    "budget",
    "economic_buyer",
    "pain",
    "timeline",
    "next_step",
    "champion",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "metrics",
    "stakeholders",
    "meeting_accepted",
    "proposal_requested",
]
OBJECTIONS = ["price", "timing", "competition", "security_compliance", "authority"]
LOSS = ["price", "competitor", "no_decision", "timing"]


@dataclass
class TruthNote:
    stage: str
    at: datetime
    verdict: str
    met: list[str]
    contradicted: list[str]
    missing: list[str]
    objections: list[str]
    reviewed: bool
    overrides: list[str]


@dataclass
class TruthDeal:
    name: str
    owner: str
    amount: float | None
    industry: str | None
    region: str
    changes: list[tuple[str, datetime, str | None]]  # (stage, at, loss reason)
    notes: list[TruthNote] = field(default_factory=list)
    proposal_sent_on: Any = None
    last_buyer_activity: Any = None
    id: int = 0


def _walk(
    rng: random.Random, start: datetime, now: datetime, exact: int | None
) -> list[tuple[str, datetime, str | None]]:
    """A random walk through the stages; ``exact`` changes march forward then close."""
    changes: list[tuple[str, datetime, str | None]] = [("prospect", start, None)]
    index, at = 0, start
    while exact is None or len(changes) < exact:
        at = at + timedelta(days=rng.expovariate(1 / 12), seconds=rng.randint(1, 9999))
        if at > now:
            break
        roll = rng.random()
        last = exact is not None and len(changes) == exact - 1
        if exact is not None and not last:
            index += 1
            changes.append((STAGES[index], at, None))
            continue
        if roll < 0.12 or (last and roll < 0.4):
            changes.append(("lost", at, rng.choice(LOSS)))
            break
        if index == len(STAGES) - 1 or (last and roll < 0.7):
            changes.append(("won", at, None))
            break
        if roll < 0.18 and index > 0 and not last:
            index -= 1  # moved back a stage
        else:
            index = min(len(STAGES) - 1, index + (2 if roll > 0.93 and not last else 1))
        changes.append((STAGES[index], at, None))
    return changes


def _notes(rng: random.Random, deal: TruthDeal, count: int, now: datetime) -> None:
    first = deal.changes[0][1]
    last = min(now, deal.changes[-1][1] + timedelta(days=20))
    for _ in range(count):
        at = first + (last - first) * rng.random()
        stage = next((s for s, t, _ in reversed(deal.changes) if t <= at), "prospect")
        stage = stage if stage in STAGES else "close"
        met = rng.sample(CRITERIA, rng.randint(0, 8))
        contradicted = rng.sample([c for c in CRITERIA if c not in met], rng.randint(0, 2))
        missing = rng.sample(CRITERIA[:6], rng.randint(0, 3))
        reviewed = rng.random() < 0.4
        deal.notes.append(
            TruthNote(
                stage=stage,
                at=at,
                verdict="advance" if rng.random() < 0.45 else "hold",
                met=met,
                contradicted=contradicted,
                missing=missing,
                objections=rng.sample(OBJECTIONS, rng.randint(0, 2)),
                reviewed=reviewed,
                overrides=rng.sample(CRITERIA, rng.randint(0, 2)) if reviewed else [],
            )
        )


def generate(
    deals: int,
    reps: int,
    now: datetime,
    *,
    seed: int = 7,
    notes: int = 3,
    exact_changes: int | None = None,
    days: int = 400,
) -> list[TruthDeal]:
    rng = random.Random(seed)
    out = []
    for n in range(deals):
        start = now - timedelta(days=rng.uniform(0, days), seconds=rng.randint(0, 86399))
        deal = TruthDeal(
            name=f"Deal {n:06d}",
            owner=f"rep{n % reps}@pipeline.test",
            amount=None if rng.random() < 0.03 else float(rng.randint(1, 400) * 1000),
            industry=rng.choice(INDUSTRIES),
            region=rng.choice(REGIONS),
            changes=_walk(rng, start, now, exact_changes),
        )
        if rng.random() < 0.5:
            deal.proposal_sent_on = (now - timedelta(days=rng.randint(0, 40))).date()
        if rng.random() < 0.8:
            deal.last_buyer_activity = (now - timedelta(days=rng.randint(0, 60))).date()
        _notes(rng, deal, notes, now)
        out.append(deal)
    return out


def _batches(rows: Iterator[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _next_id(session: Session, column: Any) -> int:
    return 1 + (session.scalar(select(column).order_by(column.desc()).limit(1)) or 0)


def seed(session: Session, workspace: Workspace, truth: list[TruthDeal], manager: User) -> None:
    """Insert users, accounts, deals, history, notes, reports and reviews for ``truth``."""
    emails = sorted({d.owner for d in truth})
    existing = {
        u.email: u.id
        for u in session.scalars(select(User).where(User.workspace_id == workspace.id))
    }
    new = [
        {"workspace_id": workspace.id, "email": e, "role": "rep", "name": e}
        for e in emails
        if e not in existing
    ]
    if new:
        session.execute(insert(User), new)
    users = {
        u.email: u.id
        for u in session.scalars(select(User).where(User.workspace_id == workspace.id))
    }
    account0, deal0 = _next_id(session, Account.id), _next_id(session, Deal.id)
    session.execute(
        insert(Account),
        [
            {
                "id": account0 + i,
                "workspace_id": workspace.id,
                "name": f"Pipeline account {account0 + i}",
                "industry": d.industry,
                "region": d.region,
                "aliases": [],
                "owner_id": users[d.owner],
            }
            for i, d in enumerate(truth)
        ],
    )
    for i, d in enumerate(truth):
        d.id = deal0 + i
    for batch in _batches(
        {
            "id": d.id,
            "workspace_id": workspace.id,
            "account_id": account0 + i,
            "name": d.name,
            "stage": d.changes[-1][0],
            "amount": d.amount,
            "currency": "USD",
            "contacts": [],
            "owner_id": users[d.owner],
            "loss_reason": d.changes[-1][2],
            "proposal_sent_on": d.proposal_sent_on,
            "last_buyer_activity": d.last_buyer_activity,
            "created_at": d.changes[0][1],
            "updated_at": d.changes[-1][1],
        }
        for i, d in enumerate(truth)
    ):
        session.execute(insert(Deal), batch)
    for batch in _batches(
        {
            "workspace_id": workspace.id,
            "deal_id": d.id,
            "from_stage": d.changes[k - 1][0] if k else None,
            "to_stage": stage,
            "changed_at": at,
            "source": "import",
            "loss_reason": reason,
            "actor_id": manager.id,
        }
        for d in truth
        for k, (stage, at, reason) in enumerate(d.changes)
    ):
        session.execute(insert(StageChange), batch)
    note0 = _next_id(session, Note.id)
    report0 = _next_id(session, CoachReportRecord.id)
    review0 = _next_id(session, Review.id)
    flat = [(d, n) for d in truth for n in d.notes]
    for batch in _batches(
        {
            "id": note0 + k,
            "workspace_id": workspace.id,
            "deal_id": d.id,
            "author_id": users[d.owner],
            "stage": n.stage,
            "text": "note",
            "created_at": n.at,
        }
        for k, (d, n) in enumerate(flat)
    ):
        session.execute(insert(Note), batch)
    for batch in _batches(
        {
            "id": report0 + k,
            "workspace_id": workspace.id,
            "deal_id": d.id,
            "note_id": note0 + k,
            "stage": n.stage,
            "engine": "rules",
            "verdict": n.verdict,
            "process_name": "default",
            "process_version": "1",
            "risk_count": 0,
            "report": {},
            "created_at": n.at,
            "met_ids": " ".join(n.met),
            "contradicted_ids": " ".join(n.contradicted),
            "missing_ids": " ".join(n.missing),
            "objection_ids": " ".join(n.objections),
        }
        for k, (d, n) in enumerate(flat)
    ):
        session.execute(insert(CoachReportRecord), batch)
    for batch in _batches(
        {
            "id": review0 + k,
            "workspace_id": workspace.id,
            "report_id": report0 + k,
            "status": "approved" if n.reviewed else "pending",
            "comment": "",
            "reviewer_id": manager.id if n.reviewed else None,
        }
        for k, (d, n) in enumerate(flat)
    ):
        session.execute(insert(Review), batch)
    for batch in _batches(
        {
            "workspace_id": workspace.id,
            "review_id": review0 + k,
            "criterion": c,
            "coach_status": "missing",
            "manager_status": "met",
        }
        for k, (d, n) in enumerate(flat)
        for c in n.overrides
    ):
        session.execute(insert(CriterionOverride), batch)
    session.flush()
