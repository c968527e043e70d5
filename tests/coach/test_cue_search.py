"""Cues search their alternatives apart, gated by literals; the hits are the alternation's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from dealscout.coach.evaluate import check_notes
from dealscout.coach.process import load_process
from dealscout.coach.rules import criteria, cues
from dealscout.coach.rules.cues import Cue, Hit, cue, split_alternation
from dealscout.coach.rules.text import Doc, parse
from dealscout.coach.vocab import STAGES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coach"


def _whole_pattern_hits(doc: Doc, found: Sequence[Cue]) -> list[Hit]:
    """``find_hits`` as it was: each cue's whole alternation searched over the note."""
    hits: list[Hit] = []
    for c in found:
        pos = 0
        while (m := c.pattern.search(doc.text, pos)) is not None:
            start, end = m.span()
            if cues._accepted(doc, c, start, end):
                hits.append(Hit(start, end, c.polarity))
                pos = max(end, start + 1)
            else:
                pos = start + 1
    return hits


def test_hits_equal_the_whole_alternations_on_every_fixture_note(monkeypatch) -> None:
    compared = 0

    def both(doc: Doc, found: Sequence[Cue]) -> list[Hit]:
        nonlocal compared
        hits = cues.find_hits(doc, found)
        assert hits == _whole_pattern_hits(doc, found)
        compared += 1
        return hits

    monkeypatch.setattr(criteria, "find_hits", both)
    process = load_process(None)
    notes = [
        json.loads(line)["notes"]
        for path in sorted(FIXTURES.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    for i, note in enumerate(notes):
        check_notes(note, process, STAGES[i % len(STAGES)])
    assert compared > 10 * len(notes)


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        ("a|b", ["a", "b"]),
        ("(?:a|b)|c", ["(?:a|b)", "c"]),
        (r"[|(]x|\|y|[]|]z", ["[|(]x", r"\|y", "[]|]z"]),
        (r"[^]|]|(?<!a|b)c", ["[^]|]", "(?<!a|b)c"]),
        ("plain", ["plain"]),
    ],
)
def test_split_alternation(pattern: str, parts: list[str]) -> None:
    assert split_alternation(pattern) == parts
    assert "|".join(parts) == pattern


def test_leftmost_start_wins_and_earlier_alternative_at_a_tie() -> None:
    doc = parse("we need sign off and signature by friday")
    found = cue(r"sign(?:ature)?|signature by|need")
    hits = cues.find_hits(doc, [found])
    assert [doc.text[h.start : h.end] for h in hits] == ["need", "sign", "signature"]
    assert hits == _whole_pattern_hits(doc, [found])
