"""Acceptance: the rules engine on the labeled dev file and on our own labeled notes."""

from pathlib import Path

import pytest

from dealscout.coach.evaluation import CoachScore, load_rows, score_rows
from dealscout.coach.service import coach_note
from tests.coach.conftest import FIXTURES, SHARED_EVAL


def _score(path: Path) -> CoachScore:
    return score_rows(load_rows(path), lambda r: coach_note(r["notes"], r["stage"]))


def _assert_thresholds(score: CoachScore) -> None:
    assert score.met.micro().f1 >= 0.90, score.text()
    assert score.contradicted.micro().recall >= 0.75, score.text()
    assert score.objections.micro().f1 >= 0.85, score.text()
    assert score.evidence_ok, score.bad_evidence


def test_dev_file_meets_acceptance_thresholds() -> None:
    path = SHARED_EVAL / "coach_dev.jsonl"
    if not path.exists():
        pytest.skip(f"labeled dev file not found at {path} (shared eval folder absent)")
    _assert_thresholds(_score(path))


def test_extra_labeled_notes_meet_acceptance_thresholds() -> None:
    score = _score(FIXTURES / "coach_extra.jsonl")
    assert score.rows >= 30
    _assert_thresholds(score)


def test_scoring_counts_and_flags_invented_evidence() -> None:
    row = {
        "id": "t1",
        "stage": "qualify",
        "notes": "Ana: too expensive.",
        "criteria": {"budget": "met"},
        "objections": ["price"],
    }
    report = coach_note(row["notes"], "qualify")
    bad = report.model_copy(
        update={
            "criteria": [
                c.model_copy(update={"status": "met", "evidence": "invented"})
                if c.id == "budget"
                else c
                for c in report.criteria
            ]
        }
    )
    score = score_rows([row], lambda _: bad)
    assert score.met.micro().tp == 1 and score.objections.micro().tp == 1
    assert score.bad_evidence == ["t1: budget"]
    assert "not verbatim" in score.text()


def test_holdout_labeled_notes_meet_acceptance_thresholds() -> None:
    """20 notes labeled before the engine ran on them, then used for tuning."""
    score = _score(FIXTURES / "coach_holdout.jsonl")
    assert score.rows >= 20
    _assert_thresholds(score)


def test_round2_labeled_notes_meet_acceptance_thresholds() -> None:
    """16 notes in new styles (shorthand, transcripts, threads, logs), labeled before the
    engine ran on them, then used for tuning (at first: met F1 0.72, contradicted recall
    0.60, objection F1 0.69)."""
    score = _score(FIXTURES / "coach_round2.jsonl")
    assert score.rows >= 16
    _assert_thresholds(score)


def test_round3_labeled_notes_meet_acceptance_thresholds() -> None:
    """18 notes imitating the dev set, labeled before the engine ran on them. t01-t12 were
    then used for tuning (at first: met F1 0.875, contradicted recall 0.40, objection F1
    0.76); t13-t18 were never tuned on (met F1 0.80, contradicted recall 1/1, objection F1
    0.83 both before and after). The whole file meets the bar."""
    score = _score(FIXTURES / "coach_round3.jsonl")
    assert score.rows == 18
    _assert_thresholds(score)


def test_untuned_notes_hold_the_measured_generalization_floor() -> None:
    """18 notes labeled before the engine ran on them and never used for tuning: the honest
    estimate for unseen notes. They are BELOW the acceptance bar (measured: met F1 0.85,
    contradicted recall 2/6, objection F1 0.75; after round 3: 0.867, 2/6, 0.789); this
    guards the level reached against regressions. Raise the floors as the rules improve;
    never tune on these files."""
    rows = load_rows(FIXTURES / "coach_final.jsonl") + load_rows(
        FIXTURES / "coach_round2_final.jsonl"
    )
    score = score_rows(rows, lambda r: coach_note(r["notes"], r["stage"]))
    assert score.rows == 18
    assert score.met.micro().f1 >= 0.86, score.text()
    assert score.contradicted.micro().recall >= 0.33, score.text()
    assert score.objections.micro().f1 >= 0.78, score.text()
    assert score.evidence_ok, score.bad_evidence
