"""One brief from its evidence: the LLM engine when configured and within budget, the
rules engine otherwise or whenever the LLM fails."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.briefs import llm_engine
from dealscout.briefs.evidence import BriefInput, gather
from dealscout.briefs.rank import SignalView, age_text
from dealscout.briefs.rules_engine import rules_sections
from dealscout.briefs.schemas import Brief, BriefSection, BriefSignal
from dealscout.core.config import Settings
from dealscout.core.db import utcnow
from dealscout.core.llm import LLMGateway


def brief_signal(signal: SignalView, as_of: datetime) -> BriefSignal:
    return BriefSignal(
        id=signal.id,
        type=signal.type,
        title=signal.title,
        url=signal.url,
        published_at=signal.published_at,
        first_seen_at=signal.first_seen_at,
        source=signal.source,
        age=age_text(signal.published_at, as_of),
        suspicious=signal.suspicious,
    )


def assemble(data: BriefInput, sections: list[BriefSection], **fields: object) -> Brief:
    """The brief with exactly the signals its sections cite, newest first."""
    cited = {c for section in sections for item in section.items for c in item.citations}
    signals = [brief_signal(s, data.as_of) for s in data.signals if s.id in cited]
    return Brief.model_validate(
        {
            "account": data.account.name,
            "account_id": data.account.id,
            "generated_at": utcnow(),
            "as_of": data.as_of,
            "engine": "rules",
            "sections": sections,
            "signals": signals,
            **fields,
        }
    )


def compose(
    session: Session, settings: Settings, data: BriefInput, gateway: LLMGateway | None
) -> Brief:
    rules = rules_sections(data)
    gateway = gateway or LLMGateway(settings)
    if not gateway.enabled:
        return assemble(data, rules)
    tried = llm_engine.attempt(session, data, rules, gateway)
    usage = {"model": tried.model, "tokens": tried.tokens}
    if tried.sections is None:
        return assemble(data, rules, fallback_reason=tried.reason, **usage)
    return assemble(data, tried.sections, engine="llm", **usage)


def generate_brief(
    session: Session,
    settings: Settings,
    account: Account,
    *,
    gateway: LLMGateway | None = None,
    as_of: datetime | None = None,
) -> Brief:
    """A fresh brief of ``account`` (no cache)."""
    data = gather(session, account, as_of or utcnow())
    return compose(session, settings, data, gateway)
