"""``GET /v1/analytics...`` and ``dealscout analytics``: shape, access, filters, CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dealscout.accounts import auth
from dealscout.accounts.service import list_users
from dealscout.analytics.schemas import SECTIONS
from dealscout.api.main import create_app
from dealscout.cli.main import app
from dealscout.core.config import get_settings
from tests.support.factories import Member, create_member, create_workspace, open_session
from tests.support.pipeline import generate, seed

KEYS = ["stage_conversion", "time_in_stage", "velocity", "win_rate", "objections",
        "missing_criteria", "loss_reasons", "follow_up", "forecast", "coaching"]  # fmt: skip


@pytest.fixture
def world() -> Iterator[dict[str, Member]]:
    session = open_session(get_settings())
    workspace = create_workspace(session, "default")
    manager = create_member(session, workspace, "mgr@pipeline.test", "manager")
    seed(
        session, workspace, generate(300, 3, datetime.now(UTC) - timedelta(minutes=1)), manager.user
    )
    session.commit()
    rep = next(u for u in list_users(session, workspace.id) if u.email == "rep1@pipeline.test")
    _, token = auth.issue_token(session, rep)
    session.commit()
    yield {"manager": manager, "rep": Member(rep, token)}
    session.close()


def test_api_shape_access_and_filters(world: dict[str, Member]) -> None:
    client = TestClient(create_app(get_settings()))
    manager, rep = world["manager"].headers, world["rep"].headers
    assert client.get("/v1/analytics").status_code == 401
    whole = client.get("/v1/analytics", headers=manager)
    assert whole.status_code == 200 and list(whole.json()) == KEYS == list(SECTIONS)
    reps = {r["key"] for r in whole.json()["win_rate"]["by_rep"]}
    assert reps == {"rep0@pipeline.test", "rep1@pipeline.test", "rep2@pipeline.test"}
    own = client.get("/v1/analytics", headers=rep).json()  # a rep sees their own deals
    assert {r["key"] for r in own["win_rate"]["by_rep"]} == {"rep1@pipeline.test"}
    narrowed = client.get("/v1/analytics?rep=rep1@pipeline.test", headers=manager).json()
    assert narrowed["win_rate"] == own["win_rate"]
    refused = client.get("/v1/analytics?rep=rep0@pipeline.test", headers=rep)
    assert refused.status_code == 403 and "own" in refused.json()["detail"]
    assert client.get("/v1/analytics?rep=nobody@x.test", headers=manager).status_code == 422
    part = client.get("/v1/analytics/forecast", headers=manager)
    assert part.status_code == 200 and part.json() == whole.json()["forecast"] | {
        "as_of": part.json()["as_of"]
    }
    assert client.get("/v1/analytics/nonsense", headers=manager).status_code == 404
    bands = client.get(
        "/v1/analytics/win_rate?size_bands=50000&size_bands=150000", headers=manager
    ).json()
    assert bands["size_edges"] == [50000, 150000] and len(bands["by_size"]) == 3
    assert client.get("/v1/analytics?size_bands=5&size_bands=1", headers=manager).status_code == 422
    late, early = datetime.now(UTC).isoformat(), (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = client.get("/v1/analytics", params={"since": late, "until": early}, headers=manager)
    assert response.status_code == 422 and "start" in response.json()["detail"]
    table = client.get("/v1/analytics/tables/win_rate_by_rep.csv", headers=manager)
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert table.text.splitlines()[0] == "key,won,lost,rate,low,high"
    assert len(table.text.splitlines()) == 4
    assert client.get("/v1/analytics/tables/nope.csv", headers=manager).status_code == 404


def test_cli_json_text_and_csv_export(world: dict[str, Member], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["analytics", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == KEYS
    assert data["stage_conversion"]["reached"]["prospect"] == 300
    result = runner.invoke(app, ["analytics", "--csv-dir", str(tmp_path / "out")])
    assert result.exit_code == 0 and "Win rate" in result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "stuck_deals.csv" in written and "coaching_trends.csv" in written and len(written) == 16
    for bad in (["--size-bands", "a,b"], ["--since", "yesterday"], ["--size-bands", "9,1"]):
        result = runner.invoke(app, ["analytics", *bad])
        assert result.exit_code == 2, bad
