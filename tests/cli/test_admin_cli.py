"""The console script end to end: commands listed, store created, bad input → exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dealscout.accounts.service import find_workspace
from dealscout.cli.main import app
from dealscout.coach.deals import workspace_process_name
from dealscout.core.config import get_settings
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
