"""Deal risks from the judged criteria and, when given, the deal's dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dealscout.coach.process import Stage
from dealscout.coach.schemas import CriterionResult, Risk

STALE_DAYS = 30


@dataclass(frozen=True)
class RiskContext:
    as_of: date | None = None
    last_buyer_activity: date | None = None
    close_date: date | None = None
    buyer_people: int = 0


def find_risks(
    criteria: Mapping[str, CriterionResult], stage: Stage, ctx: RiskContext
) -> list[Risk]:
    status = {cid: c.status for cid, c in criteria.items()}
    risks: list[Risk] = []
    if status.get("stakeholders") == "contradicted" or ctx.buyer_people < 2:
        risks.append(Risk(id="single_threaded", text=_single_text(status, ctx.buyer_people)))
    if status.get("next_step") != "met":
        risks.append(Risk(id="no_dated_next_step", text="No next step with a specific day agreed."))
    if status.get("champion") == "contradicted":
        risks.append(Risk(id="champion_gone", text="The champion has left or stopped advocating."))
    risks += _date_risks(ctx)
    skipped = [p for p in stage.prerequisites if status.get(p) != "met"]
    if skipped:
        text = f"At {stage.name} but not yet shown: {', '.join(skipped)}."
        risks.append(Risk(id="stage_skipped", text=text))
    return risks


def _single_text(status: Mapping[str, str], people: int) -> str:
    if status.get("stakeholders") == "contradicted":
        return "The deal depends on one buyer-side person."
    return (
        f"Only {people} buyer-side person named in the notes."
        if people
        else ("No buyer-side person is named in the notes.")
    )


def _date_risks(ctx: RiskContext) -> list[Risk]:
    """Date-based risks are judged only when their dates are given."""
    today = ctx.as_of or date.today()
    risks: list[Risk] = []
    if ctx.last_buyer_activity is not None:
        idle = (today - ctx.last_buyer_activity).days
        if idle >= STALE_DAYS:
            risks.append(Risk(id="stale", text=f"No buyer activity for {idle} days."))
    if ctx.close_date is not None and ctx.close_date < today:
        late = (today - ctx.close_date).days
        risks.append(Risk(id="close_date_past", text=f"Close date passed {late} days ago."))
    return risks
