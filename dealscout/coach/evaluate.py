"""The offline engine: ``check_notes`` judges a note against a process stage.

Deterministic and network-free: the rules answer, the semantic layer's vetted proposals
merged in (``coach/blend.py``). ``assemble_report`` turns judged criteria and objections
into the CONTRACT §5 report; the LLM engine reuses it after merging its own answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dealscout.coach.blend import blend_criteria, blend_objections
from dealscout.coach.process import SalesProcess, Stage
from dealscout.coach.questions import questions_for
from dealscout.coach.responses import fitted_responses
from dealscout.coach.rules.criteria import JUDGES, MISSING, Verdict, judge_phrases
from dealscout.coach.rules.objections import find_objections
from dealscout.coach.rules.people import buyer_people
from dealscout.coach.rules.risks import RiskContext, find_risks
from dealscout.coach.rules.text import Doc, parse
from dealscout.coach.schemas import (
    CoachReport,
    CriterionResult,
    ModelRef,
    ObjectionResult,
    ProcessRef,
    SignalHint,
)
from dealscout.coach.semantic import UnitScores, score_note
from dealscout.coach.vocab import CRITERIA
from dealscout.core.errors import BadInput


def check_notes(
    notes: str,
    process: SalesProcess,
    stage: str,
    *,
    as_of: date | None = None,
    last_buyer_activity: date | None = None,
    close_date: date | None = None,
    signals: Sequence[SignalHint] = (),
    competitors: Sequence[str] = (),
) -> CoachReport:
    stage_def = stage_of(process, stage)
    answer = offline_answer(notes, process, stage_def, competitors)
    ctx = RiskContext(as_of, last_buyer_activity, close_date, answer.buyer_people)
    return assemble_report(process, stage_def, answer, ctx, signals)


@dataclass
class RulesAnswer:
    """What the offline engine read from a note, before verdict, questions and risks."""

    results: dict[str, CriterionResult]
    objections: list[ObjectionResult]
    buyer_people: int
    scores: UnitScores | None = None  # the semantic layer's unit scores, when it ran
    competitors: tuple[str, ...] = ()  # the workspace's known competitors


def rules_answer(notes: str, process: SalesProcess, stage: Stage) -> RulesAnswer:
    """The rules alone (the semantic layer's training data is mined with this)."""
    doc = parse(notes)
    results = {cid: judge_criterion(doc, process, cid) for cid in report_ids(stage)}
    return RulesAnswer(results, _rule_objections(doc, results), len(buyer_people(doc)))


def offline_answer(
    notes: str, process: SalesProcess, stage: Stage, competitors: Sequence[str] = ()
) -> RulesAnswer:
    """The rules, with the semantic layer's proposals that survive the rules' vetoes."""
    doc = parse(notes)
    scores = score_note(notes)
    rules = {cid: judge_criterion(doc, process, cid) for cid in report_ids(stage)}
    results = blend_criteria(doc, rules, scores, competitors)
    budget_cut = results["budget"].status == "contradicted"
    objections = blend_objections(
        doc, _rule_objections(doc, results), scores, budget_cut=budget_cut
    )
    return RulesAnswer(results, objections, len(buyer_people(doc)), scores, tuple(competitors))


def _rule_objections(doc: Doc, results: dict[str, CriterionResult]) -> list[ObjectionResult]:
    budget_cut = results["budget"].status == "contradicted"
    return [
        ObjectionResult(category=o.category, evidence=o.evidence)
        for o in find_objections(doc, budget_cut=budget_cut)
    ]


def stage_of(process: SalesProcess, stage: str) -> Stage:
    found = process.stage(stage)
    if found is None:
        valid = ", ".join(process.stage_ids)
        raise BadInput(f"unknown stage {stage!r} for process {process.name}; valid: {valid}")
    return found


def report_ids(stage: Stage) -> list[str]:
    """All twelve CONTRACT §2 ids, then the stage's own exit criteria."""
    return list(CRITERIA) + [c for c in stage.exit_criteria if c not in CRITERIA]


def judge_criterion(doc: Doc, process: SalesProcess, criterion_id: str) -> CriterionResult:
    defined = process.defined(criterion_id)
    verdict: Verdict
    if criterion_id in JUDGES:
        verdict = JUDGES[criterion_id](doc)
    elif defined is not None:
        verdict = judge_phrases(doc, defined.cues, defined.negative_cues)
    else:
        verdict = MISSING
    return CriterionResult(id=criterion_id, status=verdict.status, evidence=verdict.evidence)


def assemble_report(
    process: SalesProcess,
    stage: Stage,
    answer: RulesAnswer,
    ctx: RiskContext,
    signals: Sequence[SignalHint] = (),
) -> CoachReport:
    """Verdict, missing, questions, responses and risks from judged criteria."""
    results, objections = answer.results, answer.objections
    exit_ids = stage.exit_criteria
    missing = [cid for cid in exit_ids if results[cid].status != "met"]
    contradicted = any(r.status == "contradicted" for r in results.values())
    criteria = [_with_questions(r, process, signals, r.id in exit_ids) for r in results.values()]
    top = [q for c in criteria if c.id in missing for q in c.questions]
    top += [
        c.questions[0]
        for c in criteria
        if c.status == "contradicted" and c.id not in missing and c.questions
    ]
    playbook = process.objection_playbook
    answered = [
        o.model_copy(
            update={
                "responses": fitted_responses(
                    o.category, o.evidence, playbook.get(o.category, []), answer.competitors
                )
            }
        )
        for o in objections
    ]
    return CoachReport(
        stage=stage.id,
        process=ProcessRef(name=process.name, version=process.version),
        model=_model_ref(answer.scores),
        engine=_engine(criteria, answered),
        verdict="hold" if missing or contradicted else "advance",
        criteria=criteria,
        missing=missing,
        objections=answered,
        questions=top,
        risks=find_risks(results, stage, ctx),
    )


def _with_questions(
    result: CriterionResult, process: SalesProcess, signals: Sequence[SignalHint], exit_: bool
) -> CriterionResult:
    if result.status == "met":
        return result.model_copy(update={"questions": []})
    questions = questions_for(result.id, process, signals, limit=2 if exit_ else 1)
    return result.model_copy(update={"questions": questions})


def _model_ref(scores: UnitScores | None) -> ModelRef | None:
    if scores is None:
        return None
    return ModelRef(name=scores.model.name, version=scores.model.version)


def _engine(criteria: list[CriterionResult], objections: list[ObjectionResult]) -> str:
    """``rules`` for the offline engine (rules and semantic layer), else llm or mixed."""
    engines = {c.engine for c in criteria} | {o.engine for o in objections}
    if "llm" not in engines:
        return "rules"
    return "llm" if engines == {"llm"} else "mixed"
