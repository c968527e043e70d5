"""Briefs are cached per account and regenerated only when their inputs change.

The fingerprint covers the account record, its matched active signals, its deals and
their latest coach report, the workspace profile and the engine configuration. A cached
brief also expires after ``MAX_AGE`` (ages and recency weights drift), and a brief the
rules engine served because the LLM failed is retried after ``FALLBACK_RETRY``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, Workspace
from dealscout.briefs.models import BriefCache
from dealscout.briefs.schemas import Brief
from dealscout.core.config import Settings
from dealscout.deals.models import CoachReportRecord, CriterionOverride, Deal, Review
from dealscout.ingestion.models import Signal, SignalAccount
from dealscout.ingestion.queries import account_signals_query

BRIEF_VERSION = "2"  # bump when the brief's shape or the engines' rules change
MAX_AGE = timedelta(days=7)
FALLBACK_RETRY = timedelta(hours=1)


def fingerprint(session: Session, settings: Settings, account: Account) -> str:
    signals = session.execute(
        account_signals_query(account.id).with_only_columns(
            func.count(Signal.id),
            func.coalesce(func.sum(Signal.id), 0),
            func.coalesce(func.max(SignalAccount.id), 0),
        )
    ).one()
    deals = session.execute(
        select(Deal.id, Deal.stage, Deal.updated_at)
        .where(Deal.account_id == account.id)
        .order_by(Deal.id)
    ).all()
    report = session.scalar(
        select(func.max(CoachReportRecord.id))
        .join(Deal, Deal.id == CoachReportRecord.deal_id)
        .where(Deal.account_id == account.id)
    )
    override = session.scalar(
        select(func.max(CriterionOverride.id))
        .join(Review, Review.id == CriterionOverride.review_id)
        .join(CoachReportRecord, CoachReportRecord.id == Review.report_id)
        .join(Deal, Deal.id == CoachReportRecord.deal_id)
        .where(Deal.account_id == account.id)
    )
    workspace = session.get(Workspace, account.workspace_id)
    parts = {
        "version": BRIEF_VERSION,
        "account": [account.name, account.updated_at.isoformat()],
        "signals": [int(v) for v in signals],
        "deals": [[d.id, d.stage, d.updated_at.isoformat()] for d in deals],
        "report": report,
        "override": override,
        "profile": workspace.profile if workspace else {},
        "engine": f"llm:{settings.llm_model}" if settings.llm_enabled else "rules",
    }
    raw = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def load(session: Session, account_id: int, fingerprint: str, now: datetime) -> Brief | None:
    row = session.scalar(select(BriefCache).where(BriefCache.account_id == account_id))
    if row is None or row.fingerprint != fingerprint or now - row.generated_at > MAX_AGE:
        return None
    try:
        brief = Brief.model_validate(row.content)
    except ValidationError:
        return None
    if brief.fallback_reason and now - row.generated_at > FALLBACK_RETRY:
        return None
    return brief


def save(session: Session, account: Account, fingerprint: str, brief: Brief) -> None:
    """Insert or replace the account's cached brief (another writer may race us)."""
    fields = {
        "fingerprint": fingerprint,
        "engine": brief.engine,
        "model": brief.model,
        "tokens": brief.tokens,
        "content": brief.model_dump(mode="json"),
        "generated_at": brief.generated_at,
    }
    for _ in range(2):
        row = session.scalar(select(BriefCache).where(BriefCache.account_id == account.id))
        try:
            with session.begin_nested():
                if row is None:
                    session.add(
                        BriefCache(
                            workspace_id=account.workspace_id, account_id=account.id, **fields
                        )
                    )
                else:
                    for name, value in fields.items():
                        setattr(row, name, value)
            return
        except IntegrityError:
            continue
