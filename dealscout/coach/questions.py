"""Discovery questions for what is missing, made specific with recent account signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from dealscout.coach.process import SalesProcess
from dealscout.coach.schemas import SignalHint


def questions_for(
    criterion_id: str, process: SalesProcess, signals: Sequence[SignalHint], limit: int = 2
) -> list[str]:
    """Up to ``limit`` questions from the process file; the first one cites a matching signal."""
    questions = list(process.discovery_questions.get(criterion_id, []))[:limit]
    signal = _relevant_signal(criterion_id, process, signals)
    if questions and signal is not None:
        questions[0] = _with_signal(questions[0], signal)
    return questions


def _relevant_signal(
    criterion_id: str, process: SalesProcess, signals: Sequence[SignalHint]
) -> SignalHint | None:
    types = process.signal_context.get(criterion_id, [])
    matching = [s for s in signals if s.type in types]
    return max(matching, key=_published, default=None)


def _published(signal: SignalHint) -> date:
    value = signal.published_at
    if isinstance(value, datetime):
        return value.date()
    return value or date.min


def _with_signal(question: str, signal: SignalHint) -> str:
    """How a person brings up the news: "I saw the news that … (1 Mar 2025). With that in
    mind, …", never a quoted headline glued to the question."""
    day = _published(signal)
    when = f" ({day.day} {day:%b %Y})" if signal.published_at else ""
    title = signal.title.strip().rstrip(".!")
    lead = f"{question[0].lower()}{question[1:]}"
    return f"I saw the news that {title}{when}. With that in mind, {lead}"
