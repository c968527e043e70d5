"""What the pages show, gathered from domain functions: no rules decided here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from dealscout.briefs.schemas import Brief, BriefSection
from dealscout.coach.process import SalesProcess
from dealscout.coach.schemas import CoachReport, CriterionResult
from dealscout.deals.schemas import DealDetail, Override
from dealscout.ingestion.publisher import display_publisher
from dealscout.ingestion.queries import workspace_signals

# The brief as a one-pager: what a rep acts on first, then the background (CONTRACT §5 ids).
BRIEF_ORDER = (
    "deal", "why_now", "snapshot", "talking_points", "questions", "people", "hiring", "timeline"
)  # fmt: skip


@dataclass(frozen=True)
class SourceLink:
    url: str | None
    publisher: str
    published_at: datetime
    title: str


def source_links(session: Session, workspace_id: int, ids: list[int]) -> dict[int, SourceLink]:
    return {
        s.id: SourceLink(s.url, display_publisher(s.source_name, s.url), s.published_at, s.title)
        for s in workspace_signals(session, workspace_id, ids).values()
    }


def brief_sections(brief: Brief) -> list[BriefSection]:
    by_id = {s.id: s for s in brief.sections}
    return [by_id[i] for i in BRIEF_ORDER if i in by_id]


def cited_signals(brief: Brief) -> list[Any]:
    """The brief's signals that an item cites, in citation order."""
    cited = list(dict.fromkeys(c for s in brief.sections for i in s.items for c in i.citations))
    by_id = {s.id: s for s in brief.signals}
    return [by_id[c] for c in cited if c in by_id]


@dataclass
class ChecklistRow:
    criterion: str
    status: str
    evidence: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    overridden_from: str | None = None


def _evidence(result: CriterionResult | None) -> list[str]:
    if result is None or result.evidence is None:
        return []
    return [result.evidence] if isinstance(result.evidence, str) else list(result.evidence)


def checklist(detail: DealDetail, process: SalesProcess) -> list[ChecklistRow]:
    """The deal stage's exit criteria with the state over all notes (overrides applied)."""
    stage = process.stage(detail.deal.stage)
    state = {c.id: c for c in detail.criteria}
    overridden = {o.criterion: o for o in detail.overrides}
    rows = []
    for cid in stage.exit_criteria if stage else []:
        result = state.get(cid)
        status = result.status if result else "missing"
        coach = _coach_status(detail, cid)
        rows.append(
            ChecklistRow(
                criterion=cid,
                status=status,
                evidence=_evidence(result) if status != "missing" else [],
                questions=list(result.questions) if result and status != "met" else [],
                overridden_from=coach if cid in overridden and coach != status else None,
            )
        )
    return rows


def _coach_status(detail: DealDetail, cid: str) -> str | None:
    """What the coach itself said last about ``cid`` (before any override)."""
    for note in reversed(detail.notes):
        for result in note.report.criteria:
            if result.id == cid and result.status != "missing":
                return result.status
    return "missing"


def latest_report(detail: DealDetail) -> CoachReport | None:
    return detail.notes[-1].report if detail.notes else None


def override_map(overrides: list[Override]) -> dict[str, str]:
    return {o.criterion: o.status for o in overrides}


def previous_stages(process: SalesProcess) -> dict[str, Any]:
    """Each stage's previous stage (the one whose exit criteria the audit checks)."""
    stages = process.stages
    return {stages[i].id: stages[i - 1] for i in range(1, len(stages))}


def criterion_descriptions(process: SalesProcess) -> dict[str, str]:
    return {c.id: c.description for c in process.criteria}
