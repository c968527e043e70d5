"""Cue matching: regexes with a polarity, judged on lines, latest word wins."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dealscout.coach.rules.text import Doc, negated_before
from dealscout.core.regex_prefilter import Literals, required_literals

MET, CONTRADICTED, RESET = 1, -1, 0

Check = Callable[[Doc, int, int], bool]


@dataclass(frozen=True)
class Cue:
    """A pattern whose match means met (+1), contradicted (-1) or back-to-missing (0)."""

    pattern: re.Pattern[str]
    polarity: int = MET
    check: Check | None = None  # extra condition on the match span
    # every match holds one literal of each set: a note without them skips the search
    required: tuple[Literals, ...] = ()


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    polarity: int


def cue(pattern: str, polarity: int = MET, check: Check | None = None) -> Cue:
    """Cues never cross a line: their gaps exclude newlines and ``^`` anchors each line."""
    return Cue(
        re.compile(pattern, re.IGNORECASE | re.MULTILINE),
        polarity,
        check,
        required_literals(pattern),
    )


def find_hits(doc: Doc, cues: Sequence[Cue]) -> list[Hit]:
    """Every non-hedged match; positive matches right after a negator are dropped."""
    hits: list[Hit] = []
    for c in cues:
        if not doc.may_hold(c.required):
            continue
        pos = 0
        while (m := c.pattern.search(doc.text, pos)) is not None:
            start, end = m.span()
            if _accepted(doc, c, start, end):
                hits.append(Hit(start, end, c.polarity))
                pos = max(end, start + 1)
            else:
                pos = start + 1  # a rejected match must not hide an overlapping one
    return hits


def _accepted(doc: Doc, c: Cue, start: int, end: int) -> bool:
    if start == end or doc.unit_at(start).hedged(start):
        return False
    if c.polarity == MET and negated_before(doc, start):
        return False
    return c.check is None or c.check(doc, start, end)


def latest(hits: Iterable[Hit]) -> Hit | None:
    """The hit whose last word comes last; at a tie the negative one wins."""
    return max(hits, key=lambda h: (h.end, -h.polarity), default=None)
