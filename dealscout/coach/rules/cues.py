"""Cue matching: regexes with a polarity, judged on lines, latest word wins.

A cue is usually an alternation of many patterns (one per phrasing). ``re`` would try
every alternative at every position of the note, so a cue keeps its top-level
alternatives apart, each with the literals every match of it needs
(``core.regex_prefilter``): only the alternatives whose literals the note holds are
searched, and their leftmost matches merged exactly as the alternation would pick them
(the leftmost start; at a tie the earlier alternative).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from dealscout.coach.rules.text import Doc, negated_before
from dealscout.core.regex_prefilter import Literals, required_literals

MET, CONTRADICTED, RESET = 1, -1, 0
FLAGS = re.IGNORECASE | re.MULTILINE

Check = Callable[[Doc, int, int], bool]


@dataclass(frozen=True)
class Branch:
    """One top-level alternative of a cue's pattern and the literals its matches need."""

    pattern: re.Pattern[str]
    required: tuple[Literals, ...]


@dataclass(frozen=True)
class Cue:
    """A pattern whose match means met (+1), contradicted (-1) or back-to-missing (0)."""

    pattern: re.Pattern[str]
    polarity: int = MET
    check: Check | None = None  # extra condition on the match span
    branches: tuple[Branch, ...] = ()  # ``pattern``'s alternatives, searched one by one


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    polarity: int


@cache
def cue(pattern: str, polarity: int = MET, check: Check | None = None) -> Cue:
    """Cues never cross a line: their gaps exclude newlines and ``^`` anchors each line.
    Built once per pattern: judges assemble their cues on every call."""
    compiled = re.compile(pattern, FLAGS)
    return Cue(compiled, polarity, check, _branches(pattern))


def _branches(pattern: str) -> tuple[Branch, ...]:
    try:
        parts = [re.compile(part, FLAGS) for part in split_alternation(pattern)]
    except re.error:  # an alternative that only compiles in context (a group reference)
        parts = [re.compile(pattern, FLAGS)]
    return tuple(Branch(p, required_literals(p.pattern)) for p in parts)


def split_alternation(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` ("a|(?:b|c)" gives "a", "(?:b|c)")."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 + (pattern[i + 1 : i + 2] == "^")
            i += pattern[i : i + 1] == "]"  # a "]" first in a class is a literal
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


class _Leftmost:
    """``pattern.search(text, pos)`` of the whole alternation, from its live alternatives.

    A match found from an earlier position that starts at or after ``pos`` is the one a
    search from ``pos`` finds (lookbehinds and ``\\b`` see the whole text either way), so
    each alternative is searched again only once its match falls behind ``pos``.
    """

    def __init__(self, text: str, patterns: list[re.Pattern[str]]) -> None:
        self.text = text
        self.patterns = patterns
        self.found: list[re.Match[str] | None] = [None] * len(patterns)
        self.since = [len(text) + 1] * len(patterns)  # searched from; > pos: not yet

    def search(self, pos: int) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        for i, pattern in enumerate(self.patterns):
            m = self.found[i]
            if self.since[i] > pos or (m is not None and m.start() < pos):
                m = self.found[i] = pattern.search(self.text, pos)
                self.since[i] = pos
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


def find_hits(doc: Doc, cues: Sequence[Cue]) -> list[Hit]:
    """Every non-hedged match; positive matches right after a negator are dropped."""
    hits: list[Hit] = []
    for c in cues:
        live = [b.pattern for b in c.branches if doc.may_hold(b.required)]
        if not live:
            continue
        matches = _Leftmost(doc.text, live)
        pos = 0
        while (m := matches.search(pos)) is not None:
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
