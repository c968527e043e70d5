"""Process-file lint: structural problems plus the habits that make a process unreliable."""

from __future__ import annotations

import re
from pathlib import Path

from dealscout.coach.process import (
    ProcessInvalid,
    SalesProcess,
    build_process,
    parse_yaml,
    shipped_processes,
)

MAX_STAGES = 7
# Criteria worded as the rep's judgement cannot be checked against what the buyer did.
_JUDGEMENT = re.compile(
    r"\b(?:rep (?:feels|thinks|believes)|i (?:think|feel|believe)|seems? (?:interested|keen"
    r"|engaged|like)|good (?:rapport|vibes|chemistry|feeling)|feels like|gut feel\w*"
    r"|likes us|friendly|positive energy)\b",
    re.IGNORECASE,
)


def lint_process(path_or_text: str | Path) -> list[str]:
    """Problems with a process file (a path, a shipped name, or YAML text); [] when clean."""
    source, text = _load_text(path_or_text)
    try:
        process = build_process(parse_yaml(text, source), source)
    except ProcessInvalid as exc:
        return exc.problems
    return _habit_problems(process)


def _habit_problems(process: SalesProcess) -> list[str]:
    problems: list[str] = []
    if len(process.stages) > MAX_STAGES:
        problems.append(f"{len(process.stages)} stages; keep a process to {MAX_STAGES} or fewer")
    problems += [f"stage {s.id}: no exit criteria" for s in process.stages if not s.exit_criteria]
    for criterion in process.criteria:
        for wording in [criterion.description, *criterion.cues]:
            if _JUDGEMENT.search(wording):
                problems.append(
                    f"criterion {criterion.id}: {wording!r} is the rep's judgement, "
                    "not something the buyer said or did"
                )
    return problems


def _load_text(path_or_text: str | Path) -> tuple[str, str]:
    if isinstance(path_or_text, Path):
        return str(path_or_text), path_or_text.read_text("utf-8")
    if path_or_text in shipped_processes():
        shipped = Path(__file__).parent / "processes" / f"{path_or_text}.yaml"
        return path_or_text, shipped.read_text("utf-8")
    if "\n" not in path_or_text and Path(path_or_text).expanduser().is_file():
        return path_or_text, Path(path_or_text).expanduser().read_text("utf-8")
    return "<text>", path_or_text
