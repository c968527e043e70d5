"""Request ids, Prometheus metrics on the API's port, and one-line JSON logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.core.telemetry import REQUEST_ID, JsonFormatter
from tests.support.factories import create_account, create_member, create_workspace, open_session
from tests.support.httpserver import LoopbackServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    settings = get_settings()
    session = open_session(settings)
    rep = create_member(session, create_workspace(session, "acme"), "rep@acme.test", "rep")
    account = create_account(session, rep, "Fennick Labs", domain="fennick.example")
    with LoopbackServer() as server:
        server.file(
            "/a.xml", FIXTURES / "ingest" / "wire_a.xml", content_type="application/rss+xml"
        )
        yield {"client": TestClient(create_app(settings)), "rep": rep, "account": account,
               "server": server}  # fmt: skip
    session.close()


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        series = line.rsplit(" ", 1)[0]
        if series.split("{")[0] == name and all(f'{k}="{v}"' in series for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_every_answer_carries_a_request_id(world: dict) -> None:
    client = world["client"]
    fresh = client.get("/healthz")
    assert len(fresh.headers["x-request-id"]) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    odd = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert odd.headers["x-request-id"] != "bad id\twith spaces"


def test_metrics_count_requests_by_route_and_fetches_by_source(world: dict) -> None:
    client, rep, account = world["client"], world["rep"], world["account"]
    before = client.get("/metrics").text
    route = "/v1/accounts/{account_id}/signals"
    seen = _sample(before, "dealscout_http_requests_total", route=route, status="200")
    body = {"url": world["server"].url("/a.xml"), "account_id": account.id}
    source = client.post("/v1/sources", json=body, headers=rep.headers).json()
    assert client.post(f"/v1/sources/{source['id']}/fetch", headers=rep.headers).status_code == 200
    client.get(f"/v1/accounts/{account.id}/signals", headers=rep.headers)
    client.get(f"/v1/accounts/{account.id}/signals", headers=rep.headers)

    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    assert _sample(text, "dealscout_http_requests_total", route=route, status="200") == seen + 2
    assert f"/v1/accounts/{account.id}/signals" not in text  # templates, not raw paths
    fetches = _sample(
        text, "dealscout_source_fetches_total", source_id=str(source["id"]), outcome="ok"
    )
    assert fetches == 1
    assert _sample(text, "dealscout_ingested_items_total", outcome="new") >= 2
    assert _sample(text, "dealscout_operation_seconds_count", operation="ingest") >= 1
    assert _sample(text, "dealscout_vectors_pending") == 0


def test_metrics_can_be_protected_by_a_token(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALSCOUT_METRICS_TOKEN", "s3cret")
    get_settings.cache_clear()
    client = TestClient(create_app(get_settings()))
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    good = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert good.status_code == 200 and "dealscout_http_requests_total" in good.text


def test_an_error_is_one_json_line_with_the_traceback_in_a_field() -> None:
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError:
        record = logging.getLogger("dealscout.test").makeRecord(
            "dealscout.test", logging.ERROR, __file__, 1, "fetch failed", (), None
        )
        import sys

        record.exc_info = sys.exc_info()
    token = REQUEST_ID.set("req-42")
    try:
        line = JsonFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "fetch failed" and entry["request_id"] == "req-42"
    assert entry["error"] == "RuntimeError: disk on fire"
    assert "Traceback" in entry["traceback"] and "disk on fire" in entry["traceback"]
