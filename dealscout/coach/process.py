"""Sales-process files: the pydantic model, loading (shipped name or path) and validation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dealscout.coach.vocab import CONTRACT_CRITERIA, OBJECTIONS
from dealscout.core.errors import BadInput

PROCESS_DIR = Path(__file__).parent / "processes"
DEFAULT_PROCESS = "default"
# Sections a template inherits from the process it ``extends`` when it does not set them.
_INHERITED = (
    "criteria",
    "discovery_questions",
    "objection_playbook",
    "follow_up_rules",
    "qualification_sets",
    "signal_context",
)


class ProcessInvalid(BadInput):
    """A process file failed validation; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"invalid process {source}: " + "; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionDef(_Strict):
    """A criterion the process file defines itself, judged from its cue phrases."""

    id: str
    description: str
    cues: list[str] = Field(min_length=1)
    negative_cues: list[str] = Field(default_factory=list)


class Stage(_Strict):
    id: str
    name: str
    objective: str
    owner_role: str
    probability: int = Field(ge=0, le=100)  # CRM win probability, percent
    exit_criteria: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)  # must be known before this stage


class FollowUpRule(_Strict):
    id: str
    trigger: Literal["proposal_no_response", "no_buyer_activity"]
    stages: list[str] = Field(default_factory=list)  # empty: every stage
    after_days: int = Field(gt=0)
    business_days: bool = False
    action: Literal["follow_up_task", "re_engagement", "archive_suggestion"]
    text: str


class SalesProcess(_Strict):
    name: str
    version: str
    description: str = ""
    extends: str | None = None
    stages: list[Stage] = Field(min_length=1)
    criteria: list[CriterionDef] = Field(default_factory=list)
    follow_up_rules: list[FollowUpRule] = Field(default_factory=list)
    qualification_sets: dict[str, list[str]] = Field(default_factory=dict)
    signal_context: dict[str, list[str]] = Field(default_factory=dict)
    discovery_questions: dict[str, list[str]] = Field(default_factory=dict)
    objection_playbook: dict[str, list[str]] = Field(default_factory=dict)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def defined(self, criterion_id: str) -> CriterionDef | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


def shipped_processes() -> list[str]:
    return sorted(p.stem for p in PROCESS_DIR.glob("*.yaml"))


def load_process(name_or_path: str | Path | None = None) -> SalesProcess:
    """The default process (None), a shipped template by name, or a YAML file by path.

    Parsed once per file version (path, mtime, size): parsing the YAML took ~80 ms, three
    times per coached note. Each caller gets its own copy.
    """
    source, path = _locate(name_or_path)
    stat = path.stat()
    return _load(source, str(path), stat.st_mtime_ns, stat.st_size).model_copy(deep=True)


@lru_cache(maxsize=32)
def _load(source: str, path: str, _mtime_ns: int, _size: int) -> SalesProcess:
    return build_process(parse_yaml(Path(path).read_text("utf-8"), source), source)


def build_process(data: Any, source: str = "<text>") -> SalesProcess:
    """Validate parsed YAML (resolving ``extends``); raise ProcessInvalid listing problems."""
    if not isinstance(data, dict):
        raise ProcessInvalid(source, ["the file must be a YAML mapping"])
    merged = _with_parent(data, source)
    try:
        process = SalesProcess.model_validate(merged)
    except ValidationError as exc:
        raise ProcessInvalid(source, [_describe(err) for err in exc.errors()]) from None
    problems = reference_problems(process)
    if problems:
        raise ProcessInvalid(source, problems)
    return process


def reference_problems(process: SalesProcess) -> list[str]:
    """Ids used by the file that are neither CONTRACT ids nor defined in it, and duplicates."""
    known = CONTRACT_CRITERIA | {c.id for c in process.criteria}
    problems = _duplicates("stage", process.stage_ids)
    problems += _duplicates("criterion", [c.id for c in process.criteria])
    for stage in process.stages:
        for cid in stage.exit_criteria + stage.prerequisites:
            if cid not in known:
                problems.append(f"stage {stage.id}: unknown criterion id {cid!r}")
    for rule in process.follow_up_rules:
        problems += [
            f"follow-up rule {rule.id}: unknown stage {s!r}"
            for s in rule.stages
            if s not in process.stage_ids
        ]
    problems += [
        f"objection playbook: unknown category {c!r}"
        for c in process.objection_playbook
        if c not in OBJECTIONS
    ]
    for section, ids in (
        ("discovery_questions", process.discovery_questions),
        ("signal_context", process.signal_context),
    ):
        problems += [f"{section}: unknown criterion id {c!r}" for c in ids if c not in known]
    return problems


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"duplicate {kind} id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]


def _locate(name_or_path: str | Path | None) -> tuple[str, Path]:
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = DEFAULT_PROCESS
    text_name = str(name_or_path)
    shipped = PROCESS_DIR / f"{text_name}.yaml"
    path = shipped if text_name in shipped_processes() else Path(text_name).expanduser()
    if not path.is_file():
        names = ", ".join(shipped_processes())
        raise BadInput(f"unknown process {text_name!r}: not a file, and not one of: {names}")
    source = text_name if path == shipped else str(path)
    return source, path


def parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProcessInvalid(source, [f"not valid YAML: {' '.join(str(exc).split())}"]) from None


def _with_parent(data: dict[str, Any], source: str) -> dict[str, Any]:
    parent_name = data.get("extends")
    if not parent_name:
        return data
    if parent_name not in shipped_processes() or parent_name == data.get("name"):
        raise ProcessInvalid(source, [f"extends: unknown or circular process {parent_name!r}"])
    parent = parse_yaml((PROCESS_DIR / f"{parent_name}.yaml").read_text("utf-8"), parent_name)
    parent = _with_parent(parent, parent_name)
    inherited = {key: parent[key] for key in _INHERITED if key in parent and key not in data}
    return {**inherited, **data}


def _describe(err: Any) -> str:
    where = ".".join(str(part) for part in err["loc"]) or "file"
    return f"{where}: {err['msg']}"
