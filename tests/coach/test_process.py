from pathlib import Path

import pytest

from dealscout.coach.lint import lint_process
from dealscout.coach.process import ProcessInvalid, load_process, shipped_processes
from dealscout.coach.vocab import CONTRACT_CRITERIA, OBJECTIONS, STAGES
from dealscout.core.errors import BadInput
from tests.coach.conftest import FIXTURES

BROKEN = FIXTURES / "processes"


@pytest.mark.parametrize("name", shipped_processes())
def test_every_shipped_process_loads_and_lints_clean(name: str) -> None:
    process = load_process(name)
    assert lint_process(name) == []
    assert 1 <= len(process.stages) <= 7
    for stage in process.stages:
        assert stage.exit_criteria and stage.objective and stage.owner_role
        assert 0 <= stage.probability <= 100


def test_shipped_templates_include_the_brief() -> None:
    assert {
        "default",
        "technology_product",
        "solution_sales",
        "marketing_sales_aligned",
        "saas",
        "revenue_share_partner",
    } <= set(shipped_processes())


def test_default_process_follows_the_contract(default_process) -> None:
    assert default_process.stage_ids == list(STAGES)
    assert default_process.stage("qualify").exit_criteria == [
        "budget",
        "economic_buyer",
        "pain",
        "timeline",
        "next_step",
    ]
    assert set(default_process.objection_playbook) == set(OBJECTIONS)
    assert all(2 <= len(r) <= 3 for r in default_process.objection_playbook.values())
    assert all(len(q) >= 2 for q in default_process.discovery_questions.values())
    assert set(default_process.discovery_questions) == set(CONTRACT_CRITERIA)
    assert set(default_process.qualification_sets) == {"bant", "meddpicc"}
    rules = {
        r.id: (r.after_days, r.business_days, r.action) for r in default_process.follow_up_rules
    }
    assert rules["proposal_follow_up"] == (5, True, "follow_up_task")
    assert rules["proposal_re_engage"] == (14, False, "re_engagement")
    assert rules["archive_inactive"] == (30, False, "archive_suggestion")


def test_templates_inherit_the_playbook_and_define_their_own_criteria() -> None:
    tech = load_process("technology_product")
    assert [s.name for s in tech.stages] == [
        "Research",
        "Intro Meeting",
        "Presentation",
        "Demo",
        "Product Evaluation",
        "Product Approval",
        "First Order",
    ]
    assert tech.objection_playbook and tech.defined("first_order") is not None
    saas = load_process("saas")
    assert saas.stages[0].name == "Inbound/Outbound" and saas.stages[-1].name == "Success Team"


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("too_many_stages.yaml", "8 stages"),
        ("no_exit_criteria.yaml", "stage second: no exit criteria"),
        ("judgement.yaml", "rep's judgement"),
        ("unknown_id.yaml", "unknown criterion id 'buget'"),
        ("not_yaml.yaml", "not valid YAML"),
    ],
)
def test_lint_flags_broken_files(file: str, expected: str) -> None:
    problems = lint_process(BROKEN / file)
    assert any(expected in p for p in problems), problems


def test_lint_accepts_yaml_text() -> None:
    assert lint_process((BROKEN / "custom_criterion.yaml").read_text()) == []


def test_load_process_by_path_and_errors(tmp_path: Path) -> None:
    assert load_process(str(BROKEN / "custom_criterion.yaml")).version == "2.1"
    with pytest.raises(BadInput, match="not one of: default"):
        load_process("no_such_process")
    with pytest.raises(ProcessInvalid) as err:
        load_process(str(BROKEN / "unknown_id.yaml"))
    assert err.value.problems == ["stage first: unknown criterion id 'buget'"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: '1'\nstages: []\ncolour: red\n")
    with pytest.raises(ProcessInvalid) as err:
        load_process(str(bad))
    assert len(err.value.problems) == 2  # empty stages and an unknown field, each named
