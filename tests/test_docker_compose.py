"""docker-compose.yml stays wired to what the code knows: its variables and its commands."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from typer.main import get_command

from dealscout.cli.main import app
from dealscout.core.config import Settings

COMPOSE = Path(__file__).resolve().parents[1] / "docker-compose.yml"


def _known_variables() -> set[str]:
    names: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.update(str(c) for c in choices) if choices else names.add(str(alias))
    return names


def test_every_variable_is_a_setting_and_every_command_exists() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    root = get_command(app)
    cli_commands = {name for name in root.list_commands(None) if root.get_command(None, name)}  # type: ignore[attr-defined]
    known = _known_variables()
    dealscout_services = 0
    for name, service in compose["services"].items():
        command = service.get("command")
        if not command or "dealscout" not in command:
            continue
        dealscout_services += 1
        for variable in service.get("environment", {}):
            assert variable in known, f"{name}: {variable} is not a setting"
        words = shlex.split(command.split("&&")[-1].strip().strip('"'))
        assert words[0] == "dealscout" and words[1] in cli_commands, f"{name}: {command}"
    assert {"api", "worker", "beat", "postgres", "redis", "chroma"} <= set(compose["services"])
    assert dealscout_services == 3
