import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dealscout.cli.coach  # noqa: F401  (registers the commands)
from dealscout.cli.app import app
from tests.coach.conftest import FIXTURES

NOTE = "Agreed to a 30 min discovery Thu 3/13 @ 10am with Tomasz Wierzbicki (Dir. Fleet Ops)."


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_coach_one_note_json(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    result = runner.invoke(
        app,
        [
            "coach",
            "--stage",
            "prospect",
            "--notes-file",
            str(note),
            "--as-of",
            "2025-03-01",
            "--close-date",
            "2025-02-01",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["verdict"] == "advance" and report["engine"] == "rules"
    assert "close_date_past" in [r["id"] for r in report["risks"]]


def test_coach_for_a_person(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    result = runner.invoke(
        app, ["coach", "--stage", "qualify", "--notes-file", str(note), "--process", "default"]
    )
    assert result.exit_code == 0
    assert "HOLD" in result.stdout and "Ask next:" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "nowhere"], "unknown stage 'nowhere'"),
        (["--stage", "qualify", "--as-of", "03/01/2025"], "not an ISO date"),
        (["--stage", "qualify", "--process", "nope"], "unknown process 'nope'"),
    ],
)
def test_coach_bad_input_exits_2(runner: CliRunner, tmp_path: Path, args, message) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    result = runner.invoke(app, ["coach", "--notes-file", str(note), *args, "--json"])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_coach_missing_file_and_empty_note(runner: CliRunner, tmp_path: Path) -> None:
    gone = runner.invoke(
        app, ["coach", "--stage", "qualify", "--notes-file", str(tmp_path / "gone.txt"), "--json"]
    )
    assert gone.exit_code == 2 and "cannot read" in gone.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = runner.invoke(app, ["coach", "--stage", "qualify", "--notes-file", str(empty)])
    assert result.exit_code == 2 and "notes are empty" in result.stderr


def test_coach_jsonl_keeps_going_after_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "stage": "prospect", "notes": NOTE}),
        "{not json",
        json.dumps({"id": "c", "stage": "nowhere", "notes": "hi"}),
        json.dumps({"id": "d", "notes": "no stage"}),
        json.dumps({"id": "e", "stage": "qualify", "notes": "Ana: too expensive."}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["coach", "--jsonl", str(path), "--json"])
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d", "e"]
    assert out[0]["verdict"] == "advance"
    assert "error" in out[1] and "unknown stage" in out[2]["error"] and "error" in out[3]
    assert out[4]["objections"][0]["category"] == "price"


def test_eval_coach(runner: CliRunner) -> None:
    path = FIXTURES / "coach_extra.jsonl"
    text = runner.invoke(app, ["eval", "coach", str(path)])
    assert text.exit_code == 0 and "criteria: met" in text.stdout and "micro" in text.stdout
    data = json.loads(runner.invoke(app, ["eval", "coach", str(path), "--json"]).stdout)
    assert data["rows"] >= 30 and data["evidence_verbatim"] is True
    assert data["met"]["f1"] >= 0.9


def test_eval_coach_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"notes": "x"}\n')
    result = runner.invoke(app, ["eval", "coach", str(bad)])
    assert result.exit_code == 2 and "needs notes, stage and criteria" in result.stderr


def test_process_check_and_list(runner: CliRunner) -> None:
    ok = runner.invoke(
        app, ["process", "check", str(FIXTURES / "processes" / "custom_criterion.yaml")]
    )
    assert ok.exit_code == 0 and "ok" in ok.stdout
    bad = runner.invoke(
        app, ["process", "check", str(FIXTURES / "processes" / "too_many_stages.yaml")]
    )
    assert bad.exit_code == 2 and "8 stages" in bad.stderr
    listed = runner.invoke(app, ["process", "list", "--json"])
    names = [p["name"] for p in json.loads(listed.stdout)["processes"]]
    assert "default" in names and "saas" in names
