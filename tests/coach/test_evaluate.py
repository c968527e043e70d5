from datetime import date

from dealscout.coach.evaluate import check_notes
from dealscout.coach.schemas import SignalHint
from dealscout.coach.vocab import CRITERIA

GOOD_QUALIFY = (
    "Qual call - Sofia Marchetti (Dir. Talent Ops)\n"
    "B: $90k allocated in the FY25 ops budget\n"
    "A: CFO Daniel Ruiz has final sign-off\n"
    "N: 40 recruiters each losing ~12 hrs/wk to scheduling\n"
    "T: wants it live before the Q3 hiring surge\n"
    "Next: demo Tue 4/15 2pm ET (invite accepted)"
)


def test_report_shape(default_process) -> None:
    report = check_notes("Ping from Ana.", default_process, "present")
    ids = [c.id for c in report.criteria]
    assert ids == list(CRITERIA) + ["proposal_requested"]
    assert report.missing == ["decision_criteria", "champion", "proposal_requested"]
    assert report.verdict == "hold" and report.engine == "rules"
    assert report.process.name == "default" and report.process.version == "1.0.0"
    assert all(c.engine == "rules" for c in report.criteria)
    data = report.model_dump(mode="json")
    assert set(data) >= {
        "stage",
        "process",
        "engine",
        "verdict",
        "criteria",
        "missing",
        "objections",
        "questions",
        "risks",
    }


def test_advance_only_when_all_exit_criteria_met_and_nothing_contradicted(default_process) -> None:
    report = check_notes(GOOD_QUALIFY, default_process, "qualify")
    assert report.missing == [] and report.verdict == "advance"
    worse = check_notes(
        GOOD_QUALIFY + "\nUpdate: Sofia says the budget was cut yesterday.",
        default_process,
        "qualify",
    )
    assert worse.verdict == "hold" and "budget" in worse.missing


def test_questions_for_missing_criteria_use_signals(default_process) -> None:
    signals = [
        SignalHint(type="funding", title="Acme raises $40M Series C", published_at=date(2025, 3, 1))
    ]
    report = check_notes("Intro call with Ana.", default_process, "qualify", signals=signals)
    budget = report.criterion("budget")
    assert budget and 1 <= len(budget.questions) <= 2
    assert budget.questions[0].startswith(
        "I saw the news that Acme raises $40M Series C (1 Mar 2025). With that in mind, where"
    )
    assert report.questions and report.questions[0] == budget.questions[0]


def test_date_risks_only_when_dates_given(default_process) -> None:
    plain = check_notes(GOOD_QUALIFY, default_process, "qualify")
    assert {r.id for r in plain.risks} & {"stale", "close_date_past"} == set()
    dated = check_notes(
        GOOD_QUALIFY,
        default_process,
        "qualify",
        as_of=date(2025, 6, 1),
        last_buyer_activity=date(2025, 5, 2),
        close_date=date(2025, 5, 31),
    )
    assert {"stale", "close_date_past"} <= {r.id for r in dated.risks}
    fresh = check_notes(
        GOOD_QUALIFY,
        default_process,
        "qualify",
        as_of=date(2025, 6, 1),
        last_buyer_activity=date(2025, 5, 3),
    )
    assert "stale" not in {r.id for r in fresh.risks}


def test_stage_skipped_and_champion_gone(default_process) -> None:
    report = check_notes(
        "Demo went well. Our champion Aaron resigned last week.", default_process, "propose"
    )
    risks = {r.id for r in report.risks}
    assert {"stage_skipped", "champion_gone", "no_dated_next_step"} <= risks


def test_objection_responses_come_from_the_playbook(default_process) -> None:
    notes = "Jordan: 'honestly it's too expensive for us.'"
    report = check_notes(notes, default_process, "present")
    playbook = default_process.objection_playbook["price"]
    responses = report.objections[0].responses
    assert responses[1:] == playbook[1:]
    said = 'Acknowledge: You said "honestly it\'s too expensive for us".'
    assert responses[0] == f"{said} {playbook[0].removeprefix('Acknowledge: ')}"
