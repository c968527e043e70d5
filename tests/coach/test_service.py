from datetime import date

import pytest

from dealscout.coach.audit import DealSnapshot, audit_pipeline
from dealscout.coach.followups import add_days, follow_up_actions
from dealscout.coach.process import load_process
from dealscout.coach.service import accumulate_criteria, coach_note
from dealscout.core.config import get_settings
from dealscout.core.errors import BadInput
from tests.coach.conftest import FIXTURES


def test_input_validation(monkeypatch) -> None:
    with pytest.raises(BadInput, match="empty"):
        coach_note("   ", "qualify")
    monkeypatch.setenv("DEALSCOUT_MAX_NOTE_CHARS", "20")
    get_settings.cache_clear()
    with pytest.raises(BadInput, match="limit is 20"):
        coach_note("x" * 21, "qualify")
    get_settings.cache_clear()
    with pytest.raises(BadInput, match="valid: prospect, qualify"):
        coach_note("hello", "won_maybe")


def test_process_by_name_path_or_object() -> None:
    path = str(FIXTURES / "processes" / "custom_criterion.yaml")
    report = coach_note("Ana agreed to a pilot; pilot starts Mon 6/2.", "pilot", process=path)
    assert report.process.name == "pilot_process"
    assert report.criterion("pilot_agreed").status == "met"
    assert report.verdict == "advance"
    tech = coach_note("Hi", "demo", process=load_process("technology_product"))
    assert tech.stage == "demo"


def test_accumulate_criteria_latest_word_wins() -> None:
    first = coach_note("Ana confirmed $50k is budgeted for this.", "qualify")
    second = coach_note("Nothing new on price.", "qualify")
    third = coach_note("Ana: the budget was frozen this morning.", "qualify")
    state = accumulate_criteria([first, second])
    assert state["budget"].status == "met"
    assert accumulate_criteria([first, second, third])["budget"].status == "contradicted"
    assert accumulate_criteria([third, first])["budget"].status == "met"


def test_follow_up_actions(default_process) -> None:
    sent = date(2025, 3, 7)  # a Friday: 5 business days later is Friday 3/14
    assert add_days(sent, 5, business=True) == date(2025, 3, 14)
    early = follow_up_actions(
        default_process, "propose", as_of=date(2025, 3, 13), proposal_sent=sent
    )
    assert early == []
    task = follow_up_actions(
        default_process, "propose", as_of=date(2025, 3, 14), proposal_sent=sent
    )
    assert [a.action for a in task] == ["follow_up_task"]
    later = follow_up_actions(
        default_process,
        "propose",
        as_of=date(2025, 4, 10),
        proposal_sent=sent,
        last_buyer_activity=date(2025, 3, 5),
    )
    assert [a.action for a in later] == ["follow_up_task", "re_engagement", "archive_suggestion"]
    answered = follow_up_actions(
        default_process,
        "propose",
        as_of=date(2025, 4, 1),
        proposal_sent=sent,
        last_buyer_response=date(2025, 3, 10),
    )
    assert answered == []


def test_audit_pipeline(default_process) -> None:
    deals = [
        DealSnapshot(
            1,
            "discover",
            50_000,
            [
                "CFO Tom Becker has final sign-off; $80k budgeted. "
                "Pain: manual entry. Decision by end of Q2. "
                "Next: call Tue 4/15 at 2pm."
            ],
        ),
        DealSnapshot(2, "discover", 30_000, ["Nice chat with Bo."]),
        DealSnapshot(3, "prospect", 10_000, []),
        DealSnapshot(4, "won", 99_000, []),
    ]
    audit = audit_pipeline(deals, default_process)
    discover = next(s for s in audit.stages if s.stage == "discover")
    assert discover.deals == 2 and discover.value == 80_000
    assert [d.id for d in discover.unsupported] == [2]
    assert discover.supported_value == 50_000
    assert audit.total_value == 90_000 and audit.supported_value == 60_000
