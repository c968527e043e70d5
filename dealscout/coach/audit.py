"""Pipeline audit: deals sitting in a stage whose notes never showed the previous stage's
exit criteria, and how much pipeline value rests on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dealscout.coach.evaluate import check_notes
from dealscout.coach.process import SalesProcess
from dealscout.coach.service import accumulate_criteria


@dataclass(frozen=True)
class DealSnapshot:
    id: str | int
    stage: str
    value: float
    notes: Sequence[str] = ()
    name: str = ""


@dataclass(frozen=True)
class UnsupportedDeal:
    id: str | int
    name: str
    value: float
    missing: list[str]  # the previous stage's exit criteria the notes never showed


@dataclass
class StageAudit:
    stage: str
    deals: int = 0
    value: float = 0.0
    unsupported: list[UnsupportedDeal] = field(default_factory=list)

    @property
    def supported_value(self) -> float:
        return self.value - sum(d.value for d in self.unsupported)


@dataclass
class PipelineAudit:
    process: str
    stages: list[StageAudit]

    @property
    def total_value(self) -> float:
        return sum(s.value for s in self.stages)

    @property
    def supported_value(self) -> float:
        return sum(s.supported_value for s in self.stages)


def audit_pipeline(deals: Sequence[DealSnapshot], process: SalesProcess) -> PipelineAudit:
    """Per stage: deal count and value, and the deals lacking the previous stage's evidence."""
    stages = {s.id: StageAudit(s.id) for s in process.stages}
    for deal in deals:
        audit = stages.get(deal.stage)
        if audit is None:
            continue  # won, lost or a stage this process does not know
        audit.deals += 1
        audit.value += deal.value
        missing = _missing_from_previous(deal, process)
        if missing:
            audit.unsupported.append(UnsupportedDeal(deal.id, deal.name, deal.value, missing))
    return PipelineAudit(process.name, list(stages.values()))


def _missing_from_previous(deal: DealSnapshot, process: SalesProcess) -> list[str]:
    index = process.stage_ids.index(deal.stage)
    if index == 0:
        return []
    previous = process.stages[index - 1]
    reports = [check_notes(n, process, previous.id) for n in deal.notes if n.strip()]
    state = accumulate_criteria(reports)
    return [c for c in previous.exit_criteria if c not in state or state[c].status != "met"]
