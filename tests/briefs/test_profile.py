"""The workspace profile over HTTP (``/v1/workspace/profile``) and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dealscout.api.main import create_app
from dealscout.cli.main import app
from dealscout.core.config import get_settings
from tests.fixtures.briefs.world import EXAMPLES
from tests.support.factories import Member, create_member, create_workspace, open_session

runner = CliRunner()
EXAMPLE = yaml.safe_load((EXAMPLES / "profile.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def team(any_db: str) -> Iterator[tuple[TestClient, dict[str, Member]]]:
    settings = get_settings()
    session = open_session(settings)
    acme, other = create_workspace(session, "acme"), create_workspace(session, "other")
    members = {
        role: create_member(session, acme, f"{role}@acme.test", role)
        for role in ("rep", "manager", "admin")
    }
    members["outsider"] = create_member(session, other, "admin@other.test", "admin")
    yield TestClient(create_app(settings)), members
    session.close()


def test_managers_and_admins_set_the_profile_and_everyone_reads_it(team) -> None:
    client, members = team
    assert (
        client.get("/v1/workspace/profile", headers=members["rep"].headers).json()["product"] == ""
    )
    refused = client.put("/v1/workspace/profile", json=EXAMPLE, headers=members["rep"].headers)
    assert refused.status_code == 403
    saved = client.put("/v1/workspace/profile", json=EXAMPLE, headers=members["manager"].headers)
    assert saved.status_code == 200, saved.text
    read = client.get("/v1/workspace/profile", headers=members["rep"].headers).json()
    assert read["product"] == "Ledgerline"
    assert read["ideal_customer_profile"]["employees_min"] == 500
    assert read["personas"][0] == {
        "title": "CFO",
        "cares_about": "cash visibility, audit readiness, headcount efficiency",
    }
    theirs = client.get("/v1/workspace/profile", headers=members["outsider"].headers).json()
    assert theirs["product"] == ""  # another workspace's profile is its own
    admin_put = client.put(
        "/v1/workspace/profile", json={"product": "Ledgerline 2"}, headers=members["admin"].headers
    )
    assert admin_put.status_code == 200


def test_invalid_profiles_are_refused(team) -> None:
    client, members = team
    headers = members["manager"].headers
    typo = client.put("/v1/workspace/profile", json={"prodcut": "x"}, headers=headers)
    assert typo.status_code == 422
    wrong = client.put(
        "/v1/workspace/profile",
        json={"ideal_customer_profile": {"employees_min": -5}},
        headers=headers,
    )
    assert wrong.status_code == 422


def test_profile_set_and_show_from_the_cli(tmp_path: Path) -> None:
    result = runner.invoke(app, ["profile", "set", str(EXAMPLES / "profile.yaml")])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["profile", "show", "--json"])
    assert json.loads(shown.stdout)["competitors"] == EXAMPLE["competitors"]
    as_yaml = runner.invoke(app, ["profile", "show"])
    assert yaml.safe_load(as_yaml.stdout)["product"] == "Ledgerline"

    broken = tmp_path / "broken.yaml"
    broken.write_text("product: [unclosed\n")
    failed = runner.invoke(app, ["profile", "set", str(broken)])
    assert failed.exit_code == 2 and "not valid YAML" in failed.stderr
    unknown_key = tmp_path / "typo.yaml"
    unknown_key.write_text("prodcut: Ledgerline\n")
    failed = runner.invoke(app, ["profile", "set", str(unknown_key)])
    assert failed.exit_code == 2 and "prodcut" in failed.stderr
    missing = runner.invoke(app, ["profile", "set", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "not a readable file" in missing.stderr
