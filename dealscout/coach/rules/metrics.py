"""Quantified impact: numbers that measure the buyer's problem or the outcome they expect.

Budget amounts, discounts, prices, thresholds and company sizes are not metrics (CONTRACT §6).
"""

from __future__ import annotations

import re

from dealscout.coach.rules.cues import Cue, cue
from dealscout.coach.rules.lexicon import AMOUNT
from dealscout.coach.rules.text import Doc, paper_step_near

_NUM = r"(?:~|about |roughly |approx\.? |nearly |over |under |>|<)?\d[\d,.]*"
_DUR = r"(?:hrs?|hours?|h|mins?|minutes?|days?|business days|weeks?|wks?)\b"
_RATE = (
    r"(?:\s?(?:/|a|per|each)\s?(?:wk|week|mo|month|day|year|yr|qtr|quarter)\b"
    r"|\s?(?:/|per|each)\s?[a-z]{3,}\b|\s(?:on avg|on average)\b"
    r"|\s(?:each|apiece)\b|\s(?:every|each|per|a) (?:cycle|shift|run|close|quarter|batch)\b)"
)
_IMPACT = re.compile(
    r"\b(?:lost|lose|losing|loss|written off|write-?offs?|costing|costs? (?:them|us)|wast\w*"
    r"|unbilled|under-delivery|leak\w*|penalt\w*|fines?|rework|delayed|on the table|sav(?:e|es"
    r"|ing|ings)|thr(?:ew|own|ow) (?:out|away)|expired|scrapp?\w*|revenue|churn\w*|credits"
    r"|overtime|costs?|recalls?|spoil\w*|duplicate|late fees?)\b",
    re.IGNORECASE,
)
# Words around a number that make it commercial rather than a measure of the problem.
_COMMERCIAL = re.compile(
    r"\b(?:off|discount\w*|cut|budget\w*|escalat\w*|price\w*|pricing|(?<!late )fees?|liability"
    r"|quote"
    r"|proposal|contract|per (?:agent|seat|user|license)|set aside|allocated|approv\w*"
    r"|over|above|threshold|my estimate|estimate[sd]? (?:it|that)|cheaper|pricier|more expensive"
    r"|uplift|increases?|payment terms|max|costs? more)\b",
    re.IGNORECASE,
)


def _no_commercial(doc: Doc, start: int, end: int) -> bool:
    unit = doc.unit_at(start)
    window = doc.text[max(unit.start, start - 30) : min(unit.end, end + 25)]
    return not _COMMERCIAL.search(window)


def _not_paper_step(doc: Doc, start: int, end: int) -> bool:
    """How long legal or procurement takes measures their process, not the buyer's problem."""
    return _no_commercial(doc, start, end) and not paper_step_near(doc, start)


def _impact_nearby(doc: Doc, start: int, end: int) -> bool:
    unit = doc.unit_at(start)
    return bool(_IMPACT.search(doc.text[unit.start : unit.end])) and _no_commercial(doc, start, end)


METRIC_CUES: tuple[Cue, ...] = (
    cue(rf"{_NUM}\s?(?:[a-z-]+ )?{_DUR}{_RATE}"),
    cue(
        rf"\b(?:time to \w+|time-to-\w+|turnaround|cycle time|lead time|close time)\b"
        rf"[^;\n]{{0,30}}?"
        rf"\b(?:is|are|of|runs?|averag\w*|at)\b[^;\n]{{0,10}}?{_NUM}\s?{_DUR}",
        check=_no_commercial,
    ),
    cue(r"\b(?:a|one|two|half a) (?:day|hour|week)s? (?:a|per|each) (?:week|day|month)\b"),
    cue(rf"\bfrom {_NUM}(?:\s?[a-z%]+){{0,2}} (?:to|->|→) {_NUM}", check=_no_commercial),
    cue(
        rf"\b(?:takes?|took|taking|averag\w*|response|handle time|waiting|wait|under|within"
        rf"|below|vs\.?|target|reduce\w*|down to)\b[^;\n]{{0,20}}?{_NUM}\s?{_DUR}",
        check=_not_paper_step,
    ),
    cue(rf"{_NUM}(?:-\d+)?\s?(?:days?|hours?|weeks?) late\b"),
    cue(rf"{_NUM}\s?{_DUR} (?:of|in) [\w ]{{0,25}}?\b(?:time|effort|work|chasing|rework)\b"),
    cue(
        rf"\b(?:spends?|spent|spending|los(?:e|es|ing|t)|wast\w*|burn\w*|chasing)\b[^;\n]{{0,20}}?"
        rf"{_NUM}\s?{_DUR}",
        check=_no_commercial,
    ),
    cue(rf"{_NUM}\s?%|\b\d+ percent\b", check=_no_commercial),
    cue(
        rf"{_NUM}\s?(?:x|times) (?:a|per|each|every)"
        r" (?:day|week|wk|month|mo|year|yr|quarter|shift)\b",
        check=_no_commercial,
    ),
    cue(r"\b\d+ (?:failed|missed|lost|rejected|denied|dropped) [a-z]+", check=_no_commercial),
    cue(
        rf"{AMOUNT}(?:\s?(?:/|per|a)\s?(?:day|week|wk|month|mo|year|yr|qtr|quarter))?",
        check=_impact_nearby,
    ),
)
