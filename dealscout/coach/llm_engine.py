"""The LLM engine: one JSON completion, checked item by item against the note.

An item whose evidence is not a verbatim substring of the note is discarded and the rules
engine's answer for it stands; any failure of the call leaves the rules answer untouched.
A long note travels as the semantic layer's candidate units per criterion and objection
category (verbatim excerpts), so one prompt stays under ~4,000 tokens.
"""

from __future__ import annotations

import logging
from typing import Literal

from pydantic import BaseModel, Field

from dealscout.coach.blend import candidate_units
from dealscout.coach.evaluate import RulesAnswer, report_ids
from dealscout.coach.process import SalesProcess, Stage
from dealscout.coach.prompts import COACH_SYSTEM, COACH_USER
from dealscout.coach.schemas import CriterionResult, Evidence, ObjectionResult
from dealscout.coach.semantic import LABELS, UnitScores
from dealscout.coach.vocab import OBJECTIONS
from dealscout.core.llm import LLMGateway, data_block

log = logging.getLogger(__name__)

# A note longer than this (about 1,500 tokens) is sent as candidate units, not whole.
WHOLE_NOTE_CHARS = 6000
EXCERPT_CHARS = 8000  # the candidate units' budget (about 2,000 tokens)
PER_LABEL = 3

_MEANINGS = {
    "budget": "the buyer confirmed budget exists or is allocated",
    "economic_buyer": "the person with final budget authority is named",
    "pain": "the buyer confirmed a concrete business problem",
    "timeline": "the buyer stated a decision or go-live timeframe",
    "metrics": "quantified impact or success measures of the buyer's problem",
    "decision_criteria": "what the buyer will judge options on",
    "decision_process": "the steps or approvers by which they will decide",
    "paper_process": "legal, procurement, security review or signature steps",
    "champion": "an internal advocate who actively sells for us",
    "competition": "competing vendors, in-house build or status quo identified",
    "next_step": "an agreed next step with a specific date or day",
    "stakeholders": "three or more buyer-side people engaged or mapped",
    "meeting_accepted": "the buyer accepted a meeting",
    "proposal_requested": "the buyer asked for a proposal or pricing",
    "proposal_review_date": "the buyer committed to review the proposal by a specific date",
    "contract_signed": "the contract is signed",
    "handoff_complete": "the post-sale team has the goals, pains, contacts and commitments",
}


class LLMCriterion(BaseModel):
    id: str
    status: Literal["met", "contradicted", "missing"]
    evidence: str | list[str] | None = None


class LLMObjection(BaseModel):
    category: str
    evidence: str


class LLMCoachAnswer(BaseModel):
    criteria: list[LLMCriterion] = Field(default_factory=list)
    objections: list[LLMObjection] = Field(default_factory=list)


def refine_with_llm(
    notes: str, process: SalesProcess, stage: Stage, rules: RulesAnswer, gateway: LLMGateway
) -> RulesAnswer:
    """Merge a verified LLM answer into the rules answer; failures return ``rules`` as is."""
    ids = report_ids(stage)
    prompt = build_prompt(notes, process, stage, rules.scores)
    result = gateway.complete_json(COACH_SYSTEM, prompt, LLMCoachAnswer)
    if result.value is None:
        log.info("coach llm fell back to rules: %s", result.error)
        return rules
    criteria = dict(rules.results)
    for item in result.value.criteria:
        if item.id in ids and _verified(item.status, item.evidence, notes):
            criteria[item.id] = CriterionResult(
                id=item.id, status=item.status, evidence=_clean(item), engine="llm"
            )
    objections = _merge_objections(result.value.objections, rules.objections, notes)
    return RulesAnswer(criteria, objections, rules.buyer_people, rules.scores, rules.competitors)


def build_prompt(
    notes: str, process: SalesProcess, stage: Stage, scores: UnitScores | None = None
) -> str:
    lines = []
    for cid in report_ids(stage):
        defined = process.defined(cid)
        meaning = defined.description if defined else _MEANINGS.get(cid, cid)
        lines.append(f"- {cid}: {meaning}")
    return COACH_USER.format(
        stage=stage.id,
        criteria="\n".join(lines),
        categories=", ".join(OBJECTIONS),
        note_block=_note_block(notes, scores),
    )


def _note_block(notes: str, scores: UnitScores | None) -> str:
    """The whole note, or for a long one the candidate units (still verbatim, in order)."""
    if scores is None or len(notes) <= WHOLE_NOTE_CHARS:
        return data_block("deal_note", notes)
    excerpts: list[str] = []
    used = 0
    for unit in candidate_units(scores, LABELS, PER_LABEL):
        if used + len(unit.text) > EXCERPT_CHARS:
            break
        excerpts.append(unit.text)
        used += len(unit.text) + 1
    return data_block("deal_note_excerpts", "\n".join(excerpts))


def _verified(status: str, evidence: Evidence, notes: str) -> bool:
    if status == "missing":
        return True
    quotes = evidence if isinstance(evidence, list) else [evidence] if evidence else []
    return bool(quotes) and all(q.strip() and q in notes for q in quotes)


def _clean(item: LLMCriterion) -> Evidence:
    return None if item.status == "missing" else item.evidence


def _merge_objections(
    answered: list[LLMObjection], rules: list[ObjectionResult], notes: str
) -> list[ObjectionResult]:
    """The model's objections where verified; where it quoted badly, the rules' item stands."""
    by_rules = {o.category: o for o in rules}
    merged: dict[str, ObjectionResult] = {}
    for item in answered:
        if item.category not in OBJECTIONS or item.category in merged:
            continue
        if _verified("met", item.evidence, notes):
            merged[item.category] = ObjectionResult(
                category=item.category, evidence=item.evidence, engine="llm"
            )
        elif item.category in by_rules:
            merged[item.category] = by_rules[item.category]
    return [merged[c] for c in OBJECTIONS if c in merged]
