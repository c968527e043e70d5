"""Acceptance thresholds of the classifier on the labeled dev file and our own extra set."""

from pathlib import Path

import pytest

from dealscout.ingestion.evaluation import evaluate_classifier, load_labeled

SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "signals_extra.jsonl"


def test_dev_set_meets_the_bar() -> None:
    dev = SHARED_EVAL / "signals_dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"{dev} is not present (shared/ lies beside the repo in CI)")
    result = evaluate_classifier(load_labeled(dev))
    assert result.macro_f1 >= 0.85, result.as_text()
    assert result.accuracy >= 0.85, result.as_text()


def test_extra_set_meets_the_bar() -> None:
    result = evaluate_classifier(load_labeled(EXTRA))
    assert result.macro_f1 >= 0.85, result.as_text()
    assert result.accuracy >= 0.85, result.as_text()


def test_held_out_part_of_extra_set() -> None:
    """Items written before the rules and never tuned on (ids ``sh…``)."""
    rows = [r for r in load_labeled(EXTRA) if r["id"].startswith("sh")]
    assert len(rows) >= 20
    assert evaluate_classifier(rows).accuracy >= 0.85


def test_unknown_gold_type_is_bad_input() -> None:
    from dealscout.core.errors import BadInput

    with pytest.raises(BadInput):
        evaluate_classifier([{"id": "x", "type": "merger", "title": "", "text": ""}])
