"""The semantic layer: units, the trained model, the rules' vetoes, competitors, prompts."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.coach.evaluate import check_notes, offline_answer, stage_of
from dealscout.coach.llm_engine import build_prompt
from dealscout.coach.semantic import load_model, model_from_json, split_units
from dealscout.coach.training import Unit, load_units, model_version, train

NOTE = (
    "QUAL - Harbor Mills\n"
    "[00:01:10] Jun Park (Controller): the budget for finance tooling is approved for next "
    "year, about EUR 150k.\n"
    "- needs SSO, an ERP vendor master sync and a SOC 2 Type II report; Jun signs.\n"
    "Email: your price looks high next to Spendwise, and they already quoted us"
)


def test_units_are_verbatim_slices_of_the_note() -> None:
    units = split_units(NOTE)
    assert len(units) >= 4
    assert all(NOTE[u.start : u.end] == u.text for u in units)
    assert "QUAL - Harbor Mills" in [u.text for u in units]


def test_paraphrased_evidence_is_found_and_reported_with_its_layer(default_process) -> None:
    report = check_notes(NOTE, default_process, "qualify")
    budget = report.criterion("budget")
    criteria = report.criterion("decision_criteria")
    assert budget and budget.status == "met" and "EUR 150k" in str(budget.evidence)
    assert criteria and criteria.status == "met" and "SOC 2 Type II" in str(criteria.evidence)
    assert {c.engine for c in report.criteria} <= {"rules", "semantic"}
    assert report.engine == "rules"
    model = load_model()
    assert report.model is not None
    assert (report.model.name, report.model.version) == (model.name, model.version)


def test_rules_veto_the_semantic_layer_on_the_reps_belief(default_process) -> None:
    """The model proposes `budget: met`; the hedge rule refuses it and says so."""
    notes = "Probably they have $50k allocated in the FY26 plan."
    answer = offline_answer(notes, default_process, stage_of(default_process, "qualify"))
    assert answer.scores is not None
    assert answer.scores.proposals("budget:met"), "the semantic layer proposes budget"
    budget = answer.results["budget"]
    assert budget.status == "missing"
    assert budget.overruled and "rep's belief" in budget.overruled


def test_known_competitors_count_and_responses_quote_the_buyer(default_process) -> None:
    notes = "Dana: your price looks high next to Spendwise, and they already quoted us"
    plain = check_notes(notes, default_process, "present")
    named = check_notes(notes, default_process, "present", competitors=["Spendwise"])
    competition = named.criterion("competition")
    assert competition and competition.status == "met" and "Spendwise" in str(competition.evidence)
    price = next(o for o in named.objections if o.category == "price")
    assert "Spendwise" in price.evidence
    assert price.responses[0].startswith('Acknowledge: You said "your price looks high')
    assert "weigh us against Spendwise" in price.responses[0]
    assert plain.objections and all(o.evidence in notes for o in plain.objections)


def test_a_buyers_sceptical_question_is_an_objection(default_process) -> None:
    notes = "Ravi asked: why should we pay for this when the free community edition does it?"
    report = check_notes(notes, default_process, "present")
    assert "price" in {o.category for o in report.objections}


def test_training_is_reproducible_and_versioned_by_its_data() -> None:
    units = load_units()[:40] + [u for u in load_units() if "obj:price" in u.labels][:10]
    first, second = train(units).to_json(), train(units).to_json()
    assert first == second
    model = model_from_json(first)
    assert model.version == model_version(units)
    changed = [*units[:-1], Unit(units[-1].id, units[-1].text + " now", units[-1].labels)]
    assert model_version(changed) != model.version


def test_shipped_model_matches_its_file() -> None:
    text = (Path(__file__).parents[2] / "dealscout" / "coach" / "semantic_model.json").read_text()
    assert model_from_json(text).to_json() == text


def test_long_note_prompt_carries_candidate_units_under_the_budget(default_process) -> None:
    filler = "Weather chat and small talk about the conference and the hotel bar. " * 200
    notes = filler + "\nCFO Ann Lee signs; budget of $90k is approved for Q3.\n" + filler
    stage = stage_of(default_process, "qualify")
    answer = offline_answer(notes, default_process, stage)
    prompt = build_prompt(notes, default_process, stage, answer.scores)
    assert 'label="deal_note_excerpts"' in prompt
    assert "CFO Ann Lee signs\nbudget of $90k is approved for Q3." in prompt
    assert len(prompt) / 4 < 4000


def test_eval_coach_prints_confusion_and_unit_scores(tmp_path: Path, default_process) -> None:
    notes = tmp_path / "notes.jsonl"
    row = {
        "id": "n1",
        "stage": "qualify",
        "notes": "Call w/ Ann (CFO): $90k approved for this. Demo Tue 3/4 at 10am.",
        "criteria": {"budget": "met", "pain": "met", "next_step": "met"},
        "objections": [],
    }
    notes.write_text(json.dumps(row) + "\n")
    units = tmp_path / "units.jsonl"
    unit = {"id": "u1", "text": "we already use Gong for this", "labels": ["obj:competitor"]}
    units.write_text(json.dumps(unit) + "\n")
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "coach", str(notes)])
    assert result.exit_code == 0, result.output
    assert "criteria confusion" in result.output and "pain" in result.output
    assert "semantic layer, unit level (4-fold cross-validation" in result.output
    result = runner.invoke(app, ["eval", "coach", str(units), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["units"] == 1


def test_cli_coach_passes_the_profiles_competitors(tmp_path: Path) -> None:
    """`dealscout coach --jsonl` reads the workspace profile's competitors."""
    runner = CliRunner()
    profile = Path(__file__).parents[2] / "examples" / "profile.yaml"
    assert runner.invoke(app, ["profile", "set", str(profile)]).exit_code == 0
    rows = tmp_path / "notes.jsonl"
    note = "Mia (AP lead): we were quoted by PayTrack last month"
    rows.write_text(json.dumps({"id": "c1", "stage": "discover", "notes": note}) + "\n")
    result = runner.invoke(app, ["coach", "--jsonl", str(rows), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.splitlines()[0])
    competition = next(c for c in report["criteria"] if c["id"] == "competition")
    assert competition["status"] == "met" and "PayTrack" in competition["evidence"]
    assert report["model"]["name"] == "coach-semantic"
