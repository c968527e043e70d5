"""The LLM brief: one ``complete_json`` call over the best recent signals, then validation.

The model writes the four synthesised sections (snapshot text, why now, talking points,
discovery questions); the extractive ones (timeline, people, hiring, open deal) always come
from the rules engine. Flagged documents are never sent. A section keeps the rules
engine's version when none of the model's items for it pass :mod:`validate`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from dealscout.briefs import prompts
from dealscout.briefs.evidence import BriefInput, injected_instructions
from dealscout.briefs.rank import SignalView, age_text
from dealscout.briefs.rules_engine import (
    MAX_DEAL_QUESTIONS,
    MAX_QUESTIONS,
    MAX_TALKING_POINTS,
    MAX_WHY_NOW,
    deal_questions,
    trusted_top,
)
from dealscout.briefs.schemas import BriefItem, BriefSection, SectionId
from dealscout.briefs.validate import ItemChecker, LlmBrief, LlmItem
from dealscout.core.llm import LLMGateway, data_block
from dealscout.core.usage import CAP_REACHED, metered

MAX_PROMPT_SIGNALS = 20
SIGNAL_CHARS_BUDGET = 10_000  # ≈2,500 tokens of signal blocks at ~4 characters a token
SUMMARY_CHARS = 400
LLM_LIMITS: dict[SectionId, int] = {
    "snapshot": 2,
    "why_now": MAX_WHY_NOW,
    "talking_points": MAX_TALKING_POINTS,
    "questions": MAX_QUESTIONS,
}


@dataclass
class LlmAttempt:
    """What the LLM engine produced; ``sections`` is None when the rules brief must serve."""

    sections: list[BriefSection] | None
    model: str | None = None
    tokens: int = 0
    reason: str | None = None
    dropped: list[str] = field(default_factory=list)


def signal_block(signal: SignalView, data: BriefInput) -> str:
    facts = json.dumps(signal.facts, ensure_ascii=False, default=str)[:300]
    body = "\n".join(
        [
            f"id: {signal.id}",
            f"type: {signal.type}",
            f"published: {signal.published_at.date().isoformat()} "
            f"({age_text(signal.published_at, data.as_of)})",
            f"source: {signal.source}",
            f"url: {signal.url or '-'}",
            f"title: {signal.title[:300]}",
            f"summary: {signal.summary[:SUMMARY_CHARS]}",
            f"facts: {facts}",
        ]
    )
    return data_block(f"signal:{signal.id}", body)


def select_signals(data: BriefInput) -> list[tuple[SignalView, str]]:
    """The best recent unflagged signals whose blocks fit the prompt budget."""
    chosen: list[tuple[SignalView, str]] = []
    used = 0
    for signal in trusted_top(data)[:MAX_PROMPT_SIGNALS]:
        block = signal_block(signal, data)
        if used + len(block) > SIGNAL_CHARS_BUDGET:
            break
        chosen.append((signal, block))
        used += len(block)
    return chosen


def build_prompt(data: BriefInput, blocks: list[str]) -> tuple[str, str]:
    schema = json.dumps(LlmBrief.model_json_schema(), separators=(",", ":"))
    account = data.account.model_dump(
        include={"name", "domain", "industry", "employee_count", "region", "description"}
    )
    user = prompts.USER.format(
        profile=data.profile.model_dump_json(exclude_defaults=True),
        account=data_block("account", json.dumps(account, ensure_ascii=False)),
        as_of=data.as_of.date().isoformat(),
        signals="\n".join(blocks),
    )
    return prompts.SYSTEM.format(schema=schema), user


def attempt(
    session: Session, data: BriefInput, rules: list[BriefSection], gateway: LLMGateway
) -> LlmAttempt:
    selected = select_signals(data)
    if not selected:
        return LlmAttempt(None, reason="no recent signals to write from")
    system, user = build_prompt(data, [block for _, block in selected])
    ledger = metered(gateway, session, data.workspace_id, data.as_of.date())
    result = ledger.complete_json(system, user, LlmBrief)
    if result.error == CAP_REACHED:
        return LlmAttempt(None, reason=CAP_REACHED)
    spent = LlmAttempt(None, model=result.model, tokens=result.usage.total_tokens)
    if result.value is None:
        spent.reason = result.error or "no answer"
        return spent
    checker = ItemChecker(
        {signal.id: signal for signal, _ in selected},
        injected_instructions(session, data.signals),
    )
    merged = [_merge(section, result.value, checker, data) for section in rules]
    spent.dropped = checker.dropped
    if all(section.engine == "rules" for section in merged):
        spent.reason = "no item of the LLM answer passed validation"
        return spent
    spent.sections = merged
    return spent


def _merge(
    rules: BriefSection, answer: LlmBrief, checker: ItemChecker, data: BriefInput
) -> BriefSection:
    if rules.id not in LLM_LIMITS:
        return rules
    proposed: list[LlmItem] = getattr(answer, rules.id)
    items = checker.keep(proposed, LLM_LIMITS[rules.id])
    if not items:
        return rules
    if rules.id == "snapshot":  # the record fields stay; the model writes the picture
        items = [i for i in rules.items if not i.citations] + items
    if rules.id == "questions":
        deal: list[BriefItem] = deal_questions(data)[:MAX_DEAL_QUESTIONS]
        items = items[: MAX_QUESTIONS - len(deal)] + deal
    return rules.model_copy(update={"items": items, "engine": "llm", "insufficient": False})
