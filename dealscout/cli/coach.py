"""``dealscout coach``, ``dealscout eval coach`` and ``dealscout process``: thin shells."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from dealscout.cli.app import app, eval_app, process_app
from dealscout.cli.output import WorkspaceOpt, emit_json, fail, jsonl_object
from dealscout.coach.evaluation import load_rows, score_rows
from dealscout.coach.lint import lint_process
from dealscout.coach.process import SalesProcess, load_process, shipped_processes
from dealscout.coach.schemas import CoachReport
from dealscout.coach.service import coach_note
from dealscout.core.config import get_settings
from dealscout.core.errors import DealscoutError, Transient
from dealscout.core.llm import LLMGateway


@app.command("coach")
def coach(
    stage: str = typer.Option(None, "--stage", help="Deal stage of the note."),
    notes_file: Path = typer.Option(None, "--notes-file", help="File with the note text."),
    jsonl: Path = typer.Option(None, "--jsonl", help="JSONL of {id, stage, notes} objects."),
    process: str = typer.Option(None, "--process", help="Process file path or template name."),
    as_of: str = typer.Option(None, "--as-of", help="ISO date the risks are judged on."),
    last_buyer_activity: str = typer.Option(None, "--last-buyer-activity", help="ISO date."),
    close_date: str = typer.Option(None, "--close-date", help="ISO date."),
    workspace: str | None = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Coach a deal note against its stage's exit criteria."""
    try:
        proc = _process(process, workspace)
        gateway = _gateway()
        if jsonl is not None:
            _coach_jsonl(jsonl, proc, gateway, as_json)
            return
        if stage is None or notes_file is None:
            fail("give --stage and --notes-file, or --jsonl")
        report = coach_note(
            _read(notes_file),
            stage,
            process=proc,
            as_of=_date("--as-of", as_of),
            last_buyer_activity=_date("--last-buyer-activity", last_buyer_activity),
            close_date=_date("--close-date", close_date),
            gateway=gateway,
        )
    except DealscoutError as exc:
        fail(str(exc), 1 if isinstance(exc, Transient) else 2)
    if as_json:
        emit_json(report)
    else:
        typer.echo(render_report(report))


@eval_app.command("coach")
def eval_coach(
    file: Path = typer.Argument(..., help="Labeled JSONL shaped like coach_dev.jsonl."),
    process: str = typer.Option(None, "--process", help="Process file path or template name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision/recall of the coach on a labeled file."""
    try:
        rows = load_rows(file)
        proc = _process(process, None)
        gateway = _gateway()
        score = score_rows(
            rows, lambda r: coach_note(r["notes"], r["stage"], process=proc, gateway=gateway)
        )
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    except DealscoutError as exc:
        fail(str(exc), 1 if isinstance(exc, Transient) else 2)
    if as_json:
        emit_json(score.summary())
    else:
        typer.echo(score.text())


@process_app.command("check")
def process_check(file: Path = typer.Argument(..., help="Process YAML file.")) -> None:
    """Lint a sales-process file; exit 2 listing the problems."""
    try:
        problems = lint_process(file)
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    if problems:
        for problem in problems:
            typer.echo(f"- {problem}", err=True)
        fail(f"{file}: {len(problems)} problem(s)")
    typer.echo(f"{file}: ok")


@process_app.command("list")
def process_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The shipped sales-process templates."""
    items = [_process_summary(load_process(name)) for name in shipped_processes()]
    if as_json:
        emit_json({"processes": items})
        return
    for item in items:
        typer.echo(f"{item['name']:<26}{item['version']:<8}{' → '.join(item['stages'])}")


def _coach_jsonl(path: Path, proc: SalesProcess, gateway: LLMGateway | None, as_json: bool) -> None:
    for line in _read(path).splitlines():
        if not line.strip():
            continue
        result = _coach_line(line, proc, gateway)
        if as_json:
            emit_json(result)
        else:
            typer.echo(json.dumps(result, ensure_ascii=False, default=str))


def _coach_line(line: str, proc: SalesProcess, gateway: LLMGateway | None) -> dict[str, Any]:
    """One JSONL request → one report line; a bad line becomes ``{"id", "error"}``."""
    row, problem = jsonl_object(line)
    if row is None:
        return {"id": None, "error": problem}
    row_id = row.get("id")
    notes, stage = row.get("notes"), row.get("stage")
    if not isinstance(notes, str) or not isinstance(stage, str):
        return {"id": row_id, "error": "needs string fields 'stage' and 'notes'"}
    try:
        report = coach_note(notes, stage, process=proc, gateway=gateway)
    except DealscoutError as exc:
        return {"id": row_id, "error": " ".join(str(exc).split())}
    return {"id": row_id, **report.model_dump(mode="json")}


def _process(name_or_path: str | None, workspace: str | None) -> SalesProcess:
    """The --process file or template; else the workspace's own process. A store that does
    not exist yet is not created for this: its workspaces would use the default process."""
    if name_or_path:
        return load_process(name_or_path)
    settings = get_settings()
    if settings.database_url is None and not settings.sqlite_file.exists():
        return load_process(None)
    from dealscout.cli.context import open_store  # the store's imports cost ~1 s

    with open_store(workspace) as store:
        chosen = store.workspace.process_name
    return load_process(chosen)


def _gateway() -> LLMGateway | None:
    settings = get_settings()
    return LLMGateway(settings) if settings.llm_enabled else None


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not an ISO date (YYYY-MM-DD)")


def _process_summary(process: SalesProcess) -> dict[str, Any]:
    return {
        "name": process.name,
        "version": process.version,
        "description": process.description,
        "stages": [s.id for s in process.stages],
    }


def render_report(report: CoachReport) -> str:
    """The report for a person: verdict, criteria with quotes, objections, risks, questions."""
    lines = [
        f"Stage {report.stage} ({report.process.name} {report.process.version}, "
        f"{report.engine}): {report.verdict.upper()}",
        f"Missing exit criteria: {', '.join(report.missing) or 'none'}",
        "",
    ]
    for c in report.criteria:
        quote = "; ".join(c.evidence) if isinstance(c.evidence, list) else c.evidence
        lines.append(f"  {c.status:<13}{c.id:<22}{quote or ''}")
    if report.objections:
        lines += ["", "Objections:"]
        for o in report.objections:
            lines.append(f"  {o.category}: {o.evidence}")
            lines += [f"    - {r}" for r in o.responses]
    if report.risks:
        lines += ["", "Risks:"] + [f"  {r.id}: {r.text}" for r in report.risks]
    if report.questions:
        lines += ["", "Ask next:"] + [f"  - {q}" for q in report.questions]
    return "\n".join(lines)
