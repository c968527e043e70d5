"""The console script end to end: commands listed, store created, bad input → exit 2."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

import dealscout.cli as cli_package
from dealscout.accounts.service import find_workspace
from dealscout.cli.app import COMMANDS
from dealscout.cli.main import app
from dealscout.core.config import get_settings
from dealscout.deals.service import workspace_process_name
from tests.support.factories import open_session

runner = CliRunner()


def dealscout(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from dealscout.cli.main import run; run()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "serve", "worker", "beat", "users", "tokens", "accounts", "demo"):
        assert command in result.output


def test_init_creates_the_store_and_prints_an_admin_token(clean_env: Path) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "token: ds_" in result.output
    assert (clean_env / "dealscout.db").is_file()


def test_users_tokens_and_accounts_commands(tmp_path: Path) -> None:
    assert runner.invoke(app, ["users", "add", "rep@co.test", "--role", "rep"]).exit_code == 0
    token = runner.invoke(app, ["tokens", "create", "rep@co.test"])
    assert token.exit_code == 0 and token.output.startswith("token: ds_")
    added = runner.invoke(
        app, ["accounts", "add", "Zeta Co", "--domain", "zeta.example", "--owner", "rep@co.test"]
    )
    assert added.exit_code == 0, added.output
    csv_file = tmp_path / "crm.csv"
    csv_file.write_text(
        "Account Name,Website,Employees\nEta Co,eta.example,120\nZeta Co,zeta.example,5\n"
    )
    imported = runner.invoke(app, ["accounts", "import", str(csv_file), "--json"])
    assert imported.exit_code == 0, imported.output
    assert '"created": 1' in imported.output and '"updated": 1' in imported.output


def test_bad_input_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("Account Name,Employees\nGood,10\nBroken,many\n")
    cases = [
        ("accounts", "import", str(bad_csv)),
        ("accounts", "import", str(tmp_path / "missing.csv")),
        ("users", "add", "not-an-email", "--role", "rep"),
        ("users", "add", "a@b.test", "--role", "emperor"),
        ("tokens", "create", "nobody@nowhere.test"),
        ("tokens", "revoke", "not-a-number"),
        ("accounts", "add", "Bad Domain Co", "--domain", "no way"),
    ]
    for args in cases:
        result = dealscout(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
        assert result.stderr.strip(), args
    missing_row = dealscout("accounts", "import", str(bad_csv))
    assert (
        missing_row.stderr.strip().splitlines()[-1]
        == "error: row 3: employees must be a whole number, got 'many'"
    )
    listed = dealscout("accounts", "list", "--json")
    assert "Good" not in listed.stdout  # all or nothing: the good row was not half-loaded


def test_process_use_sets_the_workspace_process(tmp_path: Path) -> None:
    assert runner.invoke(app, ["process", "use", "saas"]).exit_code == 0
    session = open_session(get_settings())
    assert workspace_process_name(session, find_workspace(session, "default").id) == "saas"
    session.close()
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nstages: []\n")
    result = dealscout("process", "use", str(broken))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_the_workspace_comes_from_dealscout_workspace(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert (
        runner.invoke(app, ["accounts", "add", "Nordwind AG", "--workspace", "demo"]).exit_code == 0
    )
    unknown = runner.invoke(app, ["brief", "Nordwind AG"])
    assert unknown.exit_code == 2
    assert "workspace 'demo'" in unknown.output  # the hint names where the account is
    monkeypatch.setenv("DEALSCOUT_WORKSPACE", "demo")
    get_settings.cache_clear()
    listed = runner.invoke(app, ["accounts", "list", "--json"])
    assert listed.exit_code == 0 and "Nordwind AG" in listed.output


def test_users_and_tokens_can_be_listed_without_showing_secrets() -> None:
    assert runner.invoke(app, ["users", "add", "mgr@co.test", "--role", "manager"]).exit_code == 0
    created = runner.invoke(app, ["tokens", "create", "mgr@co.test", "--name", "laptop"])
    raw = created.output.strip().removeprefix("token: ")
    users = runner.invoke(app, ["users", "list"])
    assert users.exit_code == 0 and "mgr@co.test" in users.output and "manager" in users.output
    tokens = runner.invoke(app, ["tokens", "list", "--json"])
    assert tokens.exit_code == 0 and '"laptop"' in tokens.output
    assert raw not in tokens.output and raw[:8] in tokens.output


def test_an_unknown_user_names_the_workspaces_that_have_them() -> None:
    runner.invoke(app, ["users", "add", "ana@co.test", "--workspace", "emea"])
    result = runner.invoke(app, ["tokens", "create", "ana@co.test"])
    assert result.exit_code == 2 and "workspace 'emea'" in result.output


def test_commands_that_need_no_store_do_not_create_one(clean_env: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Call with Dana (VP Finance). Demo on Tuesday 14th at 10am.\n")
    result = dealscout("coach", "--stage", "qualify", "--notes-file", str(note), "--json")
    assert result.returncode == 0, result.stderr
    assert not (clean_env / "dealscout.db").exists()
    assert dealscout("--help").returncode == 0 and not (clean_env / "dealscout.db").exists()


def test_every_command_is_in_the_lazy_registry_and_loads() -> None:
    """A command registered by a module but missing from COMMANDS would never be found."""
    for module in pkgutil.iter_modules(cli_package.__path__):
        importlib.import_module(f"dealscout.cli.{module.name}")
    registered = set(typer.main.get_group(app).commands)
    assert registered == set(COMMANDS)
    for name in COMMANDS:
        assert runner.invoke(app, [name, "--help"]).exit_code == 0, name
