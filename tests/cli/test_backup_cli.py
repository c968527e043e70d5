"""Backup → restore into an empty home → the same counts and the same brief."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.core.config import get_settings

runner = CliRunner()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _brief(account: str) -> dict[str, object]:
    brief = json.loads(_invoke("brief", account, "--workspace", "demo", "--json"))
    brief.pop("generated_at", None)
    return brief


def _move_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("DEALSCOUT_HOME", str(home))
    get_settings.cache_clear()


def test_backup_and_restore_into_an_empty_home(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invoke("demo")
    before = _brief("Halvard Freight")
    saved = json.loads(_invoke("backup", str(tmp_path / "backup"), "--json"))
    assert saved["counts"]["signals"] > 0 and saved["counts"]["notes"] > 0

    _move_home(monkeypatch, tmp_path / "empty-home")
    restored = json.loads(_invoke("restore", str(tmp_path / "backup"), "--json"))
    assert restored["counts"] == saved["counts"]
    assert restored["vectors"] > 0
    assert _brief("Halvard Freight") == before

    again = runner.invoke(app, ["restore", str(tmp_path / "backup")])
    assert again.exit_code == 2 and "holds data" in again.output  # no silent overwrite
    missing = runner.invoke(app, ["restore", str(tmp_path / "nothing-here")])
    assert missing.exit_code == 2 and "no dealscout backup" in missing.output


def test_backup_refuses_postgres_with_a_pointer(
    monkeypatch: pytest.MonkeyPatch, pg_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert result.exit_code == 2 and "pg_dump" in result.output
