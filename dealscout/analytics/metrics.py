"""Plain statistics and the one pass over the stage history that the analytics builds on."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

TERMINAL = ("won", "lost")


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``pct``% of values ≤ it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(slots=True)
class Timeline:
    """A deal's history as of the end of the period (times are Julian day numbers)."""

    entered: float
    stage: str
    stage_since: float
    reach: int  # highest process stage index reached; len(stages) once won
    closed_at: float | None
    loss_reason: str | None


@dataclass
class History:
    timelines: dict[int, Timeline]
    cohort_stays: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    won_stays: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def read_history(
    rows: Iterable[Any], stages: Sequence[str], since: float | None, until: float
) -> History:
    """One pass over ``(deal_id, to_stage, day, loss_reason)`` rows ordered by deal and time.

    Collects each deal's timeline, the completed stays (days) per stage of the deals that
    entered the pipeline in the period (the cohort), and those of the deals won in it."""
    index = {s: i for i, s in enumerate(stages)}
    won_reach = len(stages)
    lower = -math.inf if since is None else since
    history = History({})
    deal_id: int | None = None
    entered = stage_since = 0.0
    stage, reach, reason = "", -1, None
    stays: list[tuple[str, float]] = []

    def finish() -> None:
        closed = stage_since if stage in TERMINAL else None
        assert deal_id is not None
        history.timelines[deal_id] = Timeline(entered, stage, stage_since, reach, closed, reason)
        if lower <= entered <= until:
            for name, days in stays:
                history.cohort_stays[name].append(days)
        if stage == "won" and closed is not None and lower <= closed <= until:
            for name, days in stays:
                history.won_stays[name].append(days)

    for row_deal, to_stage, day, loss_reason in rows:
        if row_deal != deal_id:
            if deal_id is not None:
                finish()
            deal_id, entered, stays, reach = row_deal, day, [], -1
        elif stage in index:
            stays.append((stage, day - stage_since))
        stage, stage_since, reason = to_stage, day, loss_reason
        reach = won_reach if to_stage == "won" else max(reach, index.get(to_stage, -1))
    if deal_id is not None:
        finish()
    return history
