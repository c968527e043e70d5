"""``dealscout brief ACCOUNT`` through the console script and in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.core.config import get_settings
from dealscout.core.db import utcnow
from tests.fixtures.briefs.world import EXAMPLES, ingest_file
from tests.support.factories import create_account, create_member, create_workspace, open_session

runner = CliRunner()


@pytest.fixture
def halvard(clean_env: Path) -> str:
    """The default workspace with Halvard Freight and its newsroom feed ingested."""
    session = open_session(get_settings())
    workspace = create_workspace(session, "default")
    admin = create_member(session, workspace, "admin@default.local", "admin")
    account = create_account(session, admin, "Halvard Freight", domain="halvardfreight.example")
    ingest_file(session, workspace, EXAMPLES / "feeds" / "halvard-freight.xml", account, utcnow())
    session.commit()
    session.close()
    return str(account.id)


def test_brief_json_from_the_console_script(halvard: str, clean_env: Path) -> None:
    env = {**os.environ, "DEALSCOUT_HOME": str(clean_env)}
    code = "from dealscout.cli.main import run; run()"
    result = subprocess.run(
        [sys.executable, "-c", code, "brief", "halvard freight", "--json"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert brief["account"] == "Halvard Freight" and brief["engine"] == "rules"
    ids = {s["id"] for s in brief["signals"]}
    cited = {c for s in brief["sections"] for i in s["items"] for c in i["citations"]}
    assert cited and cited <= ids
    by_id = runner.invoke(app, ["brief", halvard, "--json"])
    assert json.loads(by_id.stdout)["sections"] == brief["sections"]  # served from the cache


def test_brief_markdown_html_and_bad_input(halvard: str) -> None:
    md = runner.invoke(app, ["brief", "Halvard Freight"])
    assert md.exit_code == 0 and md.stdout.startswith("# Brief: Halvard Freight")
    page = runner.invoke(app, ["brief", "Halvard Freight", "--format", "html", "--refresh"])
    assert page.exit_code == 0 and "<h2>Why now</h2>" in page.stdout
    unknown = runner.invoke(app, ["brief", "Nobody Inc", "--json"])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "error: unknown account 'Nobody Inc'"
    bad = runner.invoke(app, ["brief", "Halvard Freight", "--format", "pdf"])
    assert bad.exit_code == 2 and "md or html" in bad.stderr
