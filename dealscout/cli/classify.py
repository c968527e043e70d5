"""``dealscout classify`` and ``dealscout eval classify``: thin shells over the classifier."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from dealscout.cli.app import app, eval_app, train_app
from dealscout.cli.output import emit_json, fail, jsonl_object, progress
from dealscout.core.errors import BadInput, Refused
from dealscout.ingestion.classify import Classification, classify
from dealscout.ingestion.evaluation import evaluate_classifier, load_labeled
from dealscout.ingestion.fetch import load_local
from dealscout.ingestion.parse import parse_document
from dealscout.ingestion.signal_model import MODEL_PATH
from dealscout.ingestion.training import CORPUS_DIR, train

PROGRESS_EVERY = 500


def _classify_file(path: str) -> Classification:
    data, content_type = load_local(path)
    document = parse_document(
        data, content_type=content_type, url=None, fetched_at=datetime.now(UTC)
    )
    readable = (
        i for i in document.items if i.reject_reason is None and (i.title or i.text or i.summary)
    )
    item = next(readable, None)
    if item is None:
        raise Refused(f"{path}: no readable item in the document")
    return classify(item.title, item.text or item.summary, item.url)


def _classify_line(line: str) -> dict[str, Any]:
    """One JSONL request → one result line; problems become ``{"id", "error"}``."""
    row, problem = jsonl_object(line)
    if row is None:
        return {"id": None, "error": problem}
    row_id = row.get("id")
    text, title, url = row.get("text"), row.get("title") or "", row.get("url")
    if not isinstance(title, str) or not (url is None or isinstance(url, str)):
        return {"id": row_id, "error": "'title' and 'url' must be strings"}
    if not isinstance(text, str) or not (text.strip() or title.strip()):
        return {"id": row_id, "error": "missing 'text'"}  # a headline alone will do
    return {"id": row_id, **classify(title, text, url).model_dump(mode="json")}


def _print_human(result: Classification) -> None:
    secondary = ", ".join(f"{s.type} {s.confidence:.2f}" for s in result.secondary) or "none"
    typer.echo(f"type: {result.type} ({result.confidence:.2f})\nsecondary: {secondary}")
    typer.echo(f"model: {result.model}")
    for key, value in result.facts.items():
        typer.echo(f"{key}: {value}")


def _run_jsonl(path: str, json_out: bool) -> None:
    file = Path(path)
    if not file.is_file():
        fail(f"{path}: not a readable file")
    with file.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            result = _classify_line(line)
            if json_out:
                emit_json(result)
            else:
                typer.echo(f"{result.get('id')}\t{result.get('type') or result.get('error')}")
            if number % PROGRESS_EVERY == 0:
                progress(f"{number} lines classified")


@app.command("classify")
def classify_command(
    file: str | None = typer.Option(None, "--file", help="An HTML page, text or feed entry."),
    jsonl: str | None = typer.Option(None, "--jsonl", help="Objects with id, text, title, url."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Tell which kind of event a document reports (funding, an executive hire, layoffs…)."""
    if (file is None) == (jsonl is None):
        fail("give exactly one of --file or --jsonl")
    if jsonl is not None:
        _run_jsonl(jsonl, json_out)
        return
    try:
        result = _classify_file(str(file))
    except (BadInput, Refused) as exc:
        fail(str(exc))
    if json_out:
        emit_json(result)
    else:
        _print_human(result)


@eval_app.command("classify")
def eval_classify(
    path: str = typer.Argument(..., help="Labeled JSONL like shared/eval/signals_dev.jsonl."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision, recall and F1 per signal type (primary), accuracy and macro-F1."""
    try:
        result = evaluate_classifier(load_labeled(path))
    except BadInput as exc:
        fail(str(exc))
    if json_out:
        emit_json(result.as_dict())
    else:
        typer.echo(result.as_text())


@train_app.command("classify")
def train_classify(
    data: Path = typer.Option(CORPUS_DIR, "--data", help="Folder of train*.jsonl files."),
    out: Path = typer.Option(MODEL_PATH, "--out", help="Where to write the model file."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Fit the signal model on the labeled corpus (same data → byte-identical file)."""
    try:
        report = train(data, out)
    except BadInput as exc:
        fail(str(exc))
    if json_out:
        emit_json(report.as_dict())
    else:
        typer.echo(
            f"model {report.version}: {report.items} items, out-of-fold accuracy "
            f"{report.cv_accuracy:.3f}, temperature {report.temperature}, threshold "
            f"{report.threshold}\nwrote {report.path} (sha256 {report.sha256[:16]})"
        )
