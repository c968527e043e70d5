"""The coach's entry point for the CLI, API and workers: validate, rules, then the LLM."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from dealscout.coach.evaluate import assemble_report, offline_answer, stage_of
from dealscout.coach.llm_engine import refine_with_llm
from dealscout.coach.process import SalesProcess, load_process
from dealscout.coach.rules.risks import RiskContext
from dealscout.coach.schemas import CoachReport, CriterionResult, SignalHint
from dealscout.core.config import get_settings
from dealscout.core.errors import BadInput
from dealscout.core.llm import LLMGateway
from dealscout.core.telemetry import timed


@timed("coach_note")
def coach_note(
    notes: str,
    stage: str,
    *,
    process: str | Path | SalesProcess | None = None,
    as_of: date | None = None,
    last_buyer_activity: date | None = None,
    close_date: date | None = None,
    signals: Sequence[SignalHint] = (),
    gateway: LLMGateway | None = None,
    competitors: Sequence[str] = (),
) -> CoachReport:
    """Coach one note at ``stage``; the LLM refines the offline answer when ``gateway`` is on.

    ``competitors``: the workspace's known competitors; a buyer naming one is competition.
    """
    validate_notes(notes)
    proc = process if isinstance(process, SalesProcess) else load_process(process)
    stage_def = stage_of(proc, stage)
    answer = offline_answer(notes, proc, stage_def, competitors)
    if gateway is not None and gateway.enabled:
        answer = refine_with_llm(notes, proc, stage_def, answer, gateway)
    ctx = RiskContext(as_of, last_buyer_activity, close_date, answer.buyer_people)
    return assemble_report(proc, stage_def, answer, ctx, signals)


def validate_notes(notes: str) -> None:
    limit = get_settings().max_note_chars
    if not isinstance(notes, str) or not notes.strip():
        raise BadInput("notes are empty")
    if len(notes) > limit:
        raise BadInput(f"notes are {len(notes)} characters; the limit is {limit}")


def accumulate_criteria(reports: Iterable[CoachReport]) -> dict[str, CriterionResult]:
    """A deal's criteria over its notes, oldest first: the latest non-missing word wins."""
    state: dict[str, CriterionResult] = {}
    for report in reports:
        for criterion in report.criteria:
            if criterion.status != "missing" or criterion.id not in state:
                state[criterion.id] = criterion
    return state
