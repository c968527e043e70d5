"""CONTRACT §6 and the note grammar: negation, hedges, hearsay, dates, people, objections."""

from __future__ import annotations

import pytest

from dealscout.coach.evaluate import check_notes
from dealscout.coach.schemas import CoachReport


def judge(default_process, notes: str, stage: str = "qualify") -> CoachReport:
    return check_notes(notes, default_process, stage)


def status(report: CoachReport, cid: str) -> str:
    found = report.criterion(cid)
    assert found is not None
    return found.status


@pytest.mark.parametrize(
    ("notes", "cid", "expected"),
    [
        ("I think they have budget.", "budget", "missing"),
        ("Feels like a fit, they should be able to find money.", "budget", "missing"),
        ("Their IT lead told us the CFO signs.", "economic_buyer", "met"),
        ("They had budget, but it was frozen last week.", "budget", "contradicted"),
        ("Budget was frozen, but reinstated Friday.", "budget", "met"),
        ("Agreed on a demo on Tuesday 14th.", "next_step", "met"),
        ("Call next Thursday with Ana.", "next_step", "met"),
        ("Review set for 3/12 at 10am.", "next_step", "met"),
        ("Will follow up in a couple of weeks.", "next_step", "missing"),
        ("Let's circle back after Q2.", "next_step", "missing"),
        ("Will send info.", "next_step", "missing"),
        ("They want a decision before their fiscal year starts in July.", "timeline", "met"),
        ("Timing: sometime this year maybe.", "timeline", "missing"),
        ("Maria is pushing this internally.", "champion", "met"),
        ("Raj will present it to the board for us.", "champion", "met"),
        ("Raj was very friendly and loved the demo.", "champion", "missing"),
        ("The board approves all spend.", "economic_buyer", "missing"),
        ("We have $50k approved for this; we expect a 10% discount.", "metrics", "missing"),
        ("Reps lose 6 hours a week to manual entry.", "metrics", "met"),
        ("Aaron was our champion but he is leaving end of month.", "champion", "contradicted"),
        ("She declined a follow-up.", "next_step", "contradicted"),
    ],
)
def test_contract_section_6(default_process, notes: str, cid: str, expected: str) -> None:
    assert status(judge(default_process, notes), cid) == expected


def test_security_review_as_a_step_is_paper_process_not_an_objection(default_process) -> None:
    report = judge(default_process, "Vendors go through their standard security questionnaire.")
    assert status(report, "paper_process") == "met"
    assert report.objections == []
    concern = judge(default_process, 'CISO: "we won\'t clear you until we see a SOC 2 report."')
    assert [o.category for o in concern.objections] == ["security_compliance"]


def test_budget_cut_is_a_price_objection_and_contradicts_budget(default_process) -> None:
    report = judge(default_process, "Dana said the board cut the software budget 30% this week.")
    assert status(report, "budget") == "contradicted"
    assert "price" in [o.category for o in report.objections]


def test_rep_worry_is_not_an_objection(default_process) -> None:
    report = judge(default_process, "I'm worried they will find us too expensive.")
    assert report.objections == []


def test_buyer_worry_in_quotes_is_an_objection(default_process) -> None:
    report = judge(default_process, "Mara: 'I'm worried integration will eat half my team's year.'")
    assert [o.category for o in report.objections] == ["integration"]


def test_each_objection_category_once(default_process) -> None:
    notes = "Too expensive, said Bo. Later: it is still too expensive and they want a discount."
    assert [o.category for o in judge(default_process, notes).objections] == ["price"]


def test_stakeholders_count_distinct_buyer_people(default_process) -> None:
    notes = (
        "Met Sofia Marchetti (Dir. Talent Ops) and CFO Daniel Ruiz. Sofia loops in her VP People,"
        " Grace Lin.\nOurs: me, Dev (SE)"
    )
    report = judge(default_process, notes)
    stakeholders = report.criterion("stakeholders")
    assert stakeholders and stakeholders.status == "met"
    assert isinstance(stakeholders.evidence, list) and len(stakeholders.evidence) == 3
    assert all(q in notes for q in stakeholders.evidence)
    two = judge(default_process, "Spoke with Ana Ruiz (Controller) and Bo Lee (IT Manager).")
    assert status(two, "stakeholders") == "missing"


def test_single_person_dependency_contradicts_stakeholders(default_process) -> None:
    report = judge(default_process, "Leo wants everything to go through him. It's his call alone.")
    assert status(report, "stakeholders") == "contradicted"
    assert "single_threaded" in [r.id for r in report.risks]


def test_evidence_is_always_verbatim(default_process) -> None:
    notes = "- B: $90k allocated (confirmed by CFO Ana Diaz)\n- next: demo Tue 4/15 2pm ET - booked"
    report = judge(default_process, notes)
    for c in report.criteria:
        if c.status != "missing":
            quotes = c.evidence if isinstance(c.evidence, list) else [c.evidence]
            assert all(q and q in notes for q in quotes)
        else:
            assert c.evidence is None


def test_stage_specific_and_file_defined_criteria(default_process) -> None:
    close = check_notes(
        "She signed 7/23. Handoff call held 7/30 with the CSM.", default_process, "close"
    )
    assert status(close, "contract_signed") == "met"
    assert status(close, "handoff_complete") == "met"
    present = check_notes("Ruth asked for a formal proposal.", default_process, "present")
    assert status(present, "proposal_requested") == "met"


@pytest.mark.parametrize(
    ("notes", "category"),
    [
        ('Dana: "honestly Spendwise is cheaper."', "price"),
        ('Omar: "Querylane is cheaper and does most of this."', "competitor"),
        (
            "DAN (Ops Director): Our dispatcher and a whiteboard get it done. It's not broken.",
            "status_quo",
        ),
        ("Karen: I'd have to take it upstairs.", "authority"),
        ('Jo: "it\'s not really on my radar."', "need"),
        ('Per Tiffany, the owner "thinks you guys are too new."', "trust_risk"),
        (
            'Pavel: "our IT team is swamped, so they can\'t take on another integration."',
            "integration",
        ),
        ('Ana: "our legal team will never sign a 3-year term."', "contract_terms"),
        (
            "Keisha: \"we're locked into a contract w/ PickPath, can't do anything before then.\"",
            "timing",
        ),
    ],
)
def test_indirect_buyer_objections(default_process, notes: str, category: str) -> None:
    found = {o.category for o in judge(default_process, notes).objections}
    assert category in found


def test_terse_hedge_and_concern_line_are_the_reps(default_process) -> None:
    notes = (
        "think Ken likes us more than the incumbent.\n"
        "Concern: she'll circle back after the holidays."
    )
    report = judge(default_process, notes)
    assert report.objections == [] and status(report, "competition") == "missing"


def test_reassigned_advocate_contradicts_champion(default_process) -> None:
    notes = (
        "Sandra Pike (Supervisor) had been lobbying Alan for us, but she told me Friday "
        "she's been reassigned and is handing the project to Leon."
    )
    assert status(judge(default_process, notes), "champion") == "contradicted"


def test_an_organisation_is_not_a_stakeholder(default_process) -> None:
    notes = "Tomasz Nowak (Director) said the Joint Commission flagged it. CFO Diane Ruiz signs."
    report = judge(default_process, notes)
    people = report.criterion("stakeholders")
    assert people is not None and people.status == "missing"


@pytest.mark.parametrize(
    ("notes", "cid", "expected"),
    [
        # the latest word wins: reversals of budget, signer, meeting and champion
        (
            "Kai Moss (VP Eng): we had $30k for tooling, but finance clawed it back.",
            "budget",
            "contradicted",
        ),
        (
            "- EB: Nia Obi (CFO) signs\n- 2/3 -> Nia resigned, no replacement yet",
            "economic_buyer",
            "contradicted",
        ),
        (
            "Per Beth Kim (Controller), Tom Rye is no longer the decision maker.",
            "economic_buyer",
            "contradicted",
        ),
        (
            "Demo booked Wed 6/4 at 10am w/ Ivy Chen. 6/3: Ivy cancelled the 6/4 demo.",
            "next_step",
            "contradicted",
        ),
        (
            "Ben Aker (Dir IT): 'I've been selling this to our CIO myself.'\n"
            "Ben, 5/2: 'Heads-up, I've accepted a role elsewhere - my last day is the 9th.'",
            "champion",
            "contradicted",
        ),
        ("Mark Ellis (CFO): the team has learned to live with it.", "pain", "contradicted"),
        # shorthand and transcript grammar
        ("DM: Ada Lin (VP Ops), final sign-off is hers", "economic_buyer", "met"),
        ("- wants it live b4 the May 4 audit", "timeline", "met"),
        ("Me: confirmed call Tue 5/20 2pm w/ Oscar Lind.", "next_step", "met"),
        ("Notes from onsite at Kestrel, 9/9. Met Hana Voss.", "next_step", "missing"),
        # paper steps are not pain, criteria or metrics; a lone signer is not a process
        (
            "Lia Ruiz (IT Lead): we need a pen test before anything is signed.",
            "paper_process",
            "met",
        ),
        ("Legal redlines our MSA; that usually takes 3 weeks.", "pain", "missing"),
        ("Their MSA + SOC 2 report required b4 PO.", "decision_criteria", "missing"),
        ("Our CTO, Viktor Hale, has final say on tooling.", "decision_process", "missing"),
    ],
)
def test_reversals_shorthand_and_steps(
    default_process, notes: str, cid: str, expected: str
) -> None:
    assert status(judge(default_process, notes), cid) == expected


@pytest.mark.parametrize(
    ("notes", "absent"),
    [
        (
            "[09:02] Lee Park (AE): I'm slightly worried about their SOC 2 review.",
            "security_compliance",
        ),
        ("- rep is worried about SOC 2; hasn't come up", "security_compliance"),
        ("- paper: their MSA, ~3 wks through legal", "contract_terms"),
        ("- on hold in May (freeze) -> back on as of 6/2, $40k approved", "timing"),
    ],
)
def test_rep_voice_steps_and_lifted_holds_are_not_objections(
    default_process, notes: str, absent: str
) -> None:
    assert absent not in {o.category for o in judge(default_process, notes).objections}


@pytest.mark.parametrize(
    ("notes", "category"),
    [
        ("Dana Ray (Planner): I'd have to run anything like this by my boss.", "authority"),
        ("Elif Demir (Eng Mgr): my team has no capacity to build connectors.", "integration"),
        ("Keiko Mori: 'our BI team fixed most of that last quarter.'", "status_quo"),
        ("Hannah Voss: 'not keen on betting on another startup.'", "trust_risk"),
        ("Deb Cole (Dir AP): 'nothing new gets signed until the reforecast.'", "timing"),
    ],
)
def test_more_indirect_buyer_objections(default_process, notes: str, category: str) -> None:
    assert category in {o.category for o in judge(default_process, notes).objections}


@pytest.mark.parametrize(
    ("notes", "cid", "expected"),
    [
        (
            "Intro was booked for Thu 3/6 but she cancelled it on Thu 3/6.",
            "next_step",
            "contradicted",
        ),
        ("Demo with Rob Tue 4/8 2pm - cancelled by Rob, no new date.", "next_step", "contradicted"),
        ("Jade on call 7/2: loves it.", "next_step", "missing"),
        ("Pat cancelled the Thu 5/2 call, rescheduled to Mon 5/6.", "next_step", "met"),
        (
            "- Ruth Abernathy (AVP Claims) has been championing it with the SVP\n"
            "Ruth said she's moving to the Boston office next month.",
            "champion",
            "contradicted",
        ),
        (
            "onboarding w/ ops mgr Caleb Frost + harbormaster Dee Wong + Liz Tran",
            "stakeholders",
            "met",
        ),
        (
            "Dr. Lena Okafor (Asst Supt, Operations), Mike Ruiz (Coordinator), CFO Paul Graves.",
            "stakeholders",
            "met",
        ),
        (
            "she said money comes out of the HR tech line, CHRO Dana Whitley owns it",
            "economic_buyer",
            "met",
        ),
        ("- must-haves (Nora): e-signature on intake, conflict check", "paper_process", "missing"),
        ("- must-haves (Nora): e-signature on intake, conflict check", "economic_buyer", "missing"),
        ("slip reservations double-booked ~10x a month last season", "metrics", "met"),
        ("Abe: I need my partners to sign off first", "decision_process", "met"),
    ],
)
def test_round3_kinds(default_process, notes: str, cid: str, expected: str) -> None:
    assert status(judge(default_process, notes), cid) == expected


@pytest.mark.parametrize(
    ("notes", "present", "absent"),
    [
        ('Hannah: "we can\'t sign multi-year commitments"', "contract_terms", "authority"),
        (
            "she said anything over a few grand has to go to the board, so she can't promise"
            " anything.",
            "authority",
            None,
        ),
        ('"too much going on this month."', "timing", "price"),
        ('Jade: budget got cut, "nothing new until January."', "timing", None),
        ('Kyle: "$72k is more than we\'ll pay"', "price", None),
        ("Paulo said Monday's demo went fine.", None, "competitor"),
        ('"we\'re happy with how our spreadsheets handle rebates today"', "status_quo", None),
    ],
)
def test_round3_objection_kinds(
    default_process, notes: str, present: str | None, absent: str | None
) -> None:
    found = {o.category for o in judge(default_process, notes).objections}
    if present:
        assert present in found
    if absent:
        assert absent not in found
