"""The cue prefilter is only a necessary condition: it never hides a match of a cue."""

import re
from pathlib import Path

import pytest

from dealscout.ingestion import classify as classify_module
from dealscout.ingestion.classify import score_types
from dealscout.ingestion.evaluation import load_labeled
from dealscout.ingestion.regex_prefilter import (
    LiteralScanner,
    fold_case,
    may_match,
    required_literals,
)
from dealscout.ingestion.signal_rules import CUES

SHARED_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "signals_dev.jsonl"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
PATTERNS = [pattern for cues in CUES.values() for pattern, _ in cues]
CASE_VARIANTS = (str, str.upper, str.lower, str.swapcase)


def _labeled_texts() -> list[tuple[str, str]]:
    files = sorted(FIXTURES.glob("*.jsonl")) + ([SHARED_DEV] if SHARED_DEV.is_file() else [])
    assert files
    rows = [row for file in files for row in load_labeled(file)]
    return [(row.get("title") or "", row.get("text") or "") for row in rows]


def _zones() -> list[str]:
    """Every zone the classifier searches, in the original and in other capitalisations."""
    zones = {
        zone
        for title, text in _labeled_texts()
        for vary in CASE_VARIANTS
        for zone, _ in classify_module._zones(vary(title), vary(text))
        if zone
    }
    return sorted(zones)


def _reference_scores(title: str, text: str) -> dict[str, float]:
    """``score_types`` as it was before the prefilter: every cue searched in every zone."""
    scores = dict.fromkeys(classify_module.SIGNAL_TYPES, 0.0)
    for zone, weight in classify_module._zones(title, text):
        if zone:
            for label, cues in CUES.items():
                hits = [w for p, w in cues if p.search(zone)]
                scores[label] += weight * classify_module._combine(hits)
    return scores


def test_prefilter_never_rejects_a_zone_a_cue_matches() -> None:
    zones = _zones()
    scanner = classify_module._PATTERNS.scanner
    required = {p: required_literals(p.pattern) for p in PATTERNS}
    matched = 0
    for zone in zones:
        present = scanner.present(zone)
        for pattern in PATTERNS:
            if pattern.search(zone):
                matched += 1
                assert may_match(required[pattern], present), (pattern.pattern, zone)
    assert matched > 500  # the texts exercise the cues


def test_scores_equal_the_unfiltered_classifier() -> None:
    for title, text in _labeled_texts():
        for vary in CASE_VARIANTS:
            varied = vary(title), vary(text)
            assert score_types(*varied) == _reference_scores(*varied)


def test_scanner_finds_exactly_the_literals_in_the_text() -> None:
    literals = {lit for p in PATTERNS for lits in required_literals(p.pattern) for lit in lits}
    for zone in _zones():
        folded = fold_case(zone)
        assert classify_module._PATTERNS.scanner.present(zone) == {
            x for x in literals if x in folded
        }


def test_scanner_reports_overlapping_and_nested_literals() -> None:
    scanner = LiteralScanner(["in", "int", "into", "to", "nt", "the", "he", "zz"])
    assert scanner.present("Go INTO the") == {"in", "int", "into", "to", "nt", "the", "he"}
    assert scanner.present("") == set()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # alternation: a union of the branches, without literals that contain another
        (r"\b(?:acquires?|acquired|buys)\b", [{"acquire", "buys"}]),
        (r"\blawsuits?\b|\bsues?\b|\bsued\b", [{"lawsuit", "sue"}]),
        # optional group: not required
        (r"\b(?:venture )?debt financing\b", [{"debt financing"}]),
        (r"(?:foo)?", []),
        # a branch without literals makes the whole alternation unknown
        (r"(?:foo|[0-9])bar", [{"bar"}]),
        (r"[a-z]+\d", []),
        # case-sensitive group: its literal still counts, folded like the text
        (r"(?-i:ACME) rises", [{" rises"}, {"acme"}]),
        (r"\bto buy\s+(?-i:[A-Z])", [{"to buy"}]),
        # lookarounds are zero-width and a negative one may hold anything: skipped
        (r"\bconference\b(?! call)", [{"conference"}]),
        (r"price(?= target)", [{"price"}]),
        # repeats count when at least once
        (r"x{2,}yz", [{"yz"}]),
        (r"(?:ab)+c", [{"ab"}]),
        # non-ASCII literals are kept, folded
        (r"\b(?:Übernimmt|rachète)\b", [{"übernimmt", "rachète"}]),
    ],
)
def test_required_literals(pattern: str, expected: list[set[str]]) -> None:
    assert [set(lits) for lits in required_literals(pattern)] == expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bseed\b", "Acme closes ſeed round"),  # long s ~ s under re.IGNORECASE
        (r"\binc\b", "İNC announces"),  # "İ".lower() is two characters
        (r"\bübernimmt\b", "ACME ÜBERNIMMT BETA"),
        (r"(?-i:ACME) rises", "ACME RISES"),
        (r"\bkauft\b", "Acme \u212aauft Beta"),  # Kelvin sign ~ k
    ],
)
def test_unicode_case_matches_pass_the_prefilter(pattern: str, text: str) -> None:
    required = required_literals(pattern)
    assert re.search(pattern, text, re.IGNORECASE)
    assert may_match(required, LiteralScanner(x for s in required for x in s).present(text))


def test_fold_case_agrees_with_ignorecase_for_every_character() -> None:
    """Any character re.IGNORECASE matches with a cue's character folds like it."""
    every = "".join(map(chr, range(0x110000)))
    folded = fold_case(every)
    assert len(folded) == len(every)
    for char in sorted({c for p in PATTERNS for c in p.pattern}):
        for match in re.finditer(re.escape(char), every, re.IGNORECASE):
            assert folded[match.start()] == fold_case(char), (char, match.group())
