"""The classify and eval-classify commands through Typer's runner."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dealscout.cli.classify  # noqa: F401  (registers the commands)
from dealscout.cli.app import app
from dealscout.ingestion.signal_model import shipped_model

runner = CliRunner()
EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "signals_extra.jsonl"


def test_classify_text_file(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "Ledgerline raises $25 million Series A\nThe round was led by Northstar Ventures."
    )
    result = runner.invoke(app, ["classify", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["type"] == "funding" and 0 < body["confidence"] <= 1
    assert body["facts"]["round"] == "Series A" and isinstance(body["secondary"], list)


def test_classify_html_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    paragraph = (
        "<p>Tandem Logistics will lay off about 480 employees, or roughly 12% of its workforce, "
        "as part of a restructuring plan announced on Wednesday by its chief executive.</p>"
    )
    page.write_text(
        "<html><head><title>Tandem Logistics to cut 12% of workforce</title></head><body>"
        f"<article><h1>Tandem Logistics to cut 12% of workforce</h1>{paragraph * 4}</article>"
        "</body></html>"
    )
    result = runner.invoke(app, ["classify", "--file", str(page), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["type"] == "layoffs"


def test_classify_jsonl_keeps_ids_and_survives_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"id": "a", "title": "Acme lays off 200", "text": "Acme cut 200 jobs."}\n'
        "not json\n"
        '{"id": 7}\n'
        '{"id": "b", "text": "Polar Data to acquire Kelp Analytics for $90M."}\n'
        '{"id": "c", "title": "Acme to cut 300 jobs at its Ohio plant", "text": ""}\n'
        '{"id": "d", "title": " ", "text": ""}\n'
    )
    result = runner.invoke(app, ["classify", "--jsonl", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, 7, "b", "c", "d"]
    assert lines[0]["type"] == "layoffs" and lines[3]["type"] == "acquisition"
    assert lines[4]["type"] == "layoffs"  # a headline without text is still classified
    assert "error" in lines[1] and "error" in lines[2] and "error" in lines[5]


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify", "--file", str(tmp_path / "missing.txt"), "--json"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert runner.invoke(app, ["classify", "--json"]).exit_code == 2


def test_eval_classify_prints_tables_and_json() -> None:
    text = runner.invoke(app, ["eval", "classify", str(EXTRA)])
    assert text.exit_code == 0 and "macro-F1" in text.stdout and "funding" in text.stdout
    data = runner.invoke(app, ["eval", "classify", str(EXTRA), "--json"])
    body = json.loads(data.stdout)
    assert body["items"] > 60 and {"accuracy", "macro_f1", "labels"} <= set(body)
    assert body["model"] == shipped_model().version and body["model"] in text.stdout
    assert "confusion matrix" in text.stdout
    cells = {(c["gold"], c["predicted"]): c["count"] for c in body["confusion"]}
    assert sum(cells.values()) == body["items"]
    correct = sum(n for (gold, predicted), n in cells.items() if gold == predicted)
    assert correct / body["items"] == pytest.approx(body["accuracy"], abs=1e-4)


def test_eval_classify_reads_label_as_gold(tmp_path: Path) -> None:
    path = tmp_path / "labeled.jsonl"
    rows = [
        {"id": "a", "label": "layoffs", "title": "Acme lays off 300 workers", "text": "Cuts."},
        {"id": "b", "label": "other", "title": "Weather: sunny weekend ahead", "text": "Warm."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    body = json.loads(runner.invoke(app, ["eval", "classify", str(path), "--json"]).stdout)
    assert body["items"] == 2 and body["accuracy"] == 1.0


def test_classify_json_names_the_model(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 7, "title": "Acme raises $5M seed", "text": "Seed."}))
    line = json.loads(runner.invoke(app, ["classify", "--jsonl", str(path), "--json"]).stdout)
    assert line["type"] == "funding" and line["model"] == shipped_model().version


def test_eval_classify_rejects_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "type": "funding", "text": "x"}\n{oops\n')
    result = runner.invoke(app, ["eval", "classify", str(path)])
    assert result.exit_code == 2 and "bad.jsonl:2" in result.stderr


def test_an_empty_document_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    result = runner.invoke(app, ["classify", "--file", str(path), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
