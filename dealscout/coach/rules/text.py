"""Sentences, hedges and negation: the units every detector reasons over.

A note is split into lines and each line into clauses ("units"). Regex cues run on whole
lines; a unit decides whether a match is the rep's hedged belief and gives the evidence
span, so every quote is a verbatim slice of the note.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dealscout.core.regex_prefilter import Literals, fold_case

_ABBREV = r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSr)(?<!\bJr)(?<!\bDir)(?<!\bMgr)"
_ABBREV += r"(?<!\bProf)(?<!\bSt)(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bAssoc)(?<!\bapprox)"
_BOUNDARY = re.compile(
    _ABBREV + r"(?:[.!?]+[\"'”’)]*\s+|;\s+|\s+-{1,2}\s+|\s+—\s+|,?\s+(?i:but|however)\s+)"
)

# A hedge marks the rep's (or a buyer's) belief: it discounts what follows in its unit.
_HEDGE = re.compile(
    r"\b(?:i (?:still )?(?:think|believe|feel|guess|suspect|assume|hope)|i'?m hoping"
    r"|i'?m (?:also |a (?:little|bit) |pretty |fairly |kind of |slightly |somewhat |really |very )?"
    r"(?:worried|nervous|concerned)"
    r"|(?:pretty|fairly|almost) (?:sure|certain)|probably|prob|maybe|perhaps|possibly"
    r"|feels like|seems?(?: like)?|sounds like|my (?:take|guess|gut|sense|read|worry|concern"
    r"|estimate|hunch|assumption|bet)|(?:a|i have a) hunch|hopefully|should be able"
    r"|guessing|assuming|could be|rep (?:is |was )?(?:worried|nervous|concerned|thinks|feels"
    r"|suspects|assumes))\b",
    re.IGNORECASE,
)
# A terse note that drops the "I": "think Ken likes us", "guess they have budget".
_DROPPED_SUBJECT = re.compile(
    r"(?:[-*•]\s*)?(?:think|thinking|guess|suspect|assume|hope|bet|feels? like)\b", re.IGNORECASE
)
# Markers that discount their whole unit, wherever they stand in it.
_POST_HEDGE = re.compile(
    r"\bimo\b|\bimho\b|didn'?t (?:confirm|ask)|not (?:yet )?confirmed|unconfirmed|\btbd\b"
    r"|\(\?\)",
    re.IGNORECASE,
)
_NEGATOR = re.compile(
    r"\b(?:not|no|never|without|neither|nor|none|nothing|cannot|can'?t|won'?t|don'?t|doesn'?t"
    r"|didn'?t|isn'?t|aren'?t|wasn'?t|haven'?t|hasn'?t|hadn'?t|nobody|zero)\b|n't\b",
    re.IGNORECASE,
)
# Quoted speech: double quotes, curly quotes, or single quotes that are not apostrophes.
_QUOTE = re.compile(r'"[^"\n]*"|“[^”\n]*”|(?<![\w])\'(?:[^\'\n]|\'(?=\w))*\'(?!\w)')
_LABELS = (
    r"pain|budget|timeline|timing|next(?: steps?)?|process|champion|comp|competition|must-haves?"
    r"|who|attendees|present|theirs|ours|success|update|notes?|b|a|n|t|reqs|criteria|paper|eb"
)
_SPEAKER_LINE = re.compile(
    rf"^\s*(?:\[[\d:]+\]\s*)?(?!(?:rep|me|us|ours|{_LABELS})\b)[A-Z][\w.'’-]*"
    r"(?: [A-Z][\w.'’-]*){0,3}(?: \([^)]*\))?\s*:\s",
    re.IGNORECASE,
)
# Our side speaking: "Rep:", "Me (note):", or a transcript speaker with a vendor role
# ("[12:03] Jonah Price (AE):").
_VENDOR_ROLE = r"(?:[\w ]{0,20} )?(?:AE|SE|SDR|BDR|CSM|AM|rep|account exec\w*|sales \w+|us|ours)"
_REP_LINE = re.compile(
    r"^\s*(?:\[[\d:]+\]\s*)?(?:[-*•]\s*)?(?:(?:rep(?: notes?)?|my take|ours|our side|us|me"
    r"|internal|note to self|(?:my |our )?(?:concerns?|risks?|worr(?:y|ies)))(?: \([^)]*\))?"
    rf"|[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}} \({_VENDOR_ROLE}\))\s*:",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """A clause of the note: [start, end) in note coordinates."""

    start: int
    end: int
    hedge_at: int | None  # note offset from which the unit is hedged
    rep_line: bool
    speaker_line: bool = False  # a buyer speaker's line in a transcript ("Dana: ...")
    quotes: tuple[tuple[int, int], ...] = ()  # quoted speech, note offsets

    def hedged(self, pos: int) -> bool:
        return self.hedge_at is not None and pos >= self.hedge_at

    def rep_belief(self, pos: int) -> bool:
        """The rep's own belief or worry (a buyer's quoted worry is still the buyer's)."""
        if self.rep_line:
            return True
        buyer = self.speaker_line or any(a <= pos < b for a, b in self.quotes)
        return not buyer and self.hedged(pos)


@dataclass
class Line:
    start: int
    text: str
    units: list[Unit] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Doc:
    """The parsed note; ``text`` is the original, untouched."""

    text: str
    lines: list[Line]
    cache: dict[str, Any] = field(default_factory=dict)  # per-note memo for detectors

    def __post_init__(self) -> None:
        self._units = [u for line in self.lines for u in line.units]
        self._starts = [u.start for u in self._units]
        self._line_starts = [line.start for line in self.lines]
        self._folded: str | None = None
        self._holds: dict[str, bool] = {}

    def may_hold(self, required: tuple[Literals, ...]) -> bool:
        """Whether the note holds one literal of each set (``core.regex_prefilter``): a
        pattern whose every match needs them cannot match otherwise."""
        if not required:
            return True
        if self._folded is None:
            self._folded = fold_case(self.text)
        for literals in required:
            if not any(self._holds_literal(literal) for literal in literals):
                return False
        return True

    def _holds_literal(self, literal: str) -> bool:
        held = self._holds.get(literal)
        if held is None:
            held = self._holds[literal] = literal in (self._folded or "")
        return held

    def unit_at(self, pos: int) -> Unit:
        """The unit containing ``pos`` (or the nearest one before it, for gaps)."""
        index = bisect_right(self._starts, pos) - 1
        return self._units[max(index, 0)]

    def line_at(self, pos: int) -> Line:
        return self.lines[max(bisect_right(self._line_starts, pos) - 1, 0)]

    def units(self) -> Iterator[Unit]:
        yield from self._units

    def span(self, start: int, end: int) -> str:
        """The units covering [start, end), trimmed: always a verbatim substring."""
        first, last = self.unit_at(start), self.unit_at(max(start, end - 1))
        return self.text[first.start : last.end].strip().rstrip(" -—;,").strip()


def parse(text: str) -> Doc:
    lines: list[Line] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        line = Line(offset, body)
        line.units = list(_split_units(body, offset))
        lines.append(line)
        offset += len(raw)
    return Doc(text, lines)


def _split_units(body: str, offset: int) -> Iterator[Unit]:
    line_rep = bool(_REP_LINE.match(body))
    speaker = bool(_SPEAKER_LINE.match(body)) and not line_rep
    quotes = tuple((offset + a, offset + b) for a, b in (m.span() for m in _QUOTE.finditer(body)))
    start = 0
    bounds = [m.end() for m in _BOUNDARY.finditer(body)] + [len(body)]
    for end in bounds:
        chunk = body[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            s = offset + start + lead
            hedge = _hedge_start(stripped, s)
            rep = line_rep or bool(_REP_LINE.match(stripped))
            yield Unit(s, s + len(stripped), hedge, rep, speaker, quotes)
        start = end


def _hedge_start(chunk: str, start: int) -> int | None:
    if _POST_HEDGE.search(chunk) or _short_question(chunk) or _DROPPED_SUBJECT.match(chunk):
        return start
    m = _HEDGE.search(chunk)
    return start + m.start() if m else None


def _short_question(chunk: str) -> bool:
    """A terse note like "EB: Leo?" is the rep's guess, not a fact."""
    return chunk.rstrip().endswith("?") and len(chunk.split()) <= 6


def negated_before(doc: Doc, pos: int, words: int = 3) -> bool:
    """True when a negator stands within ``words`` words before ``pos`` in the same unit."""
    unit = doc.unit_at(pos)
    window = doc.text[unit.start : pos].split()[-words:]
    return bool(_NEGATOR.search(" ".join(window)))


_PAPER_STEP = re.compile(
    r"\b(?:MSA|DPA|NDA|BAA|SOW|PO|purchase order|legal|contract|procurement|redlines?"
    r"|questionnaire|pen[- ]?test|security review|signatures?)\b",
    re.IGNORECASE,
)


def paper_step_near(doc: Doc, pos: int) -> bool:
    """A paper-step word in the unit at ``pos`` or the one before it on the same line."""
    unit = doc.unit_at(pos)
    first = unit.start
    if first > 0 and doc.line_at(first - 1) is doc.line_at(first):
        first = doc.unit_at(first - 1).start
    return bool(_PAPER_STEP.search(doc.text[first : unit.end]))
