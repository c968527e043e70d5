"""Sources and signals through the HTTP API: CRUD, fetch on demand, refusals, isolation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.ingestion.models import Source
from dealscout.ingestion.signal_model import shipped_model
from tests.support.factories import create_account, create_member, create_workspace, open_session
from tests.support.httpserver import LoopbackServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    settings = get_settings()
    session = open_session(settings)
    acme, other = create_workspace(session, "acme"), create_workspace(session, "other")
    rep = create_member(session, acme, "rep@acme.test", "rep")
    outsider = create_member(session, other, "x@other.test", "admin")
    account = create_account(session, rep, "Fennick Labs", domain="fennick.example")
    with LoopbackServer() as server:
        server.file(
            "/a.xml", FIXTURES / "ingest" / "wire_a.xml", content_type="application/rss+xml"
        )
        yield {
            "client": TestClient(create_app(settings)),
            "rep": rep,
            "outsider": outsider,
            "account": account,
            "server": server,
        }
    session.close()


def test_create_fetch_and_read_signals(world: dict) -> None:
    client, rep, account = world["client"], world["rep"], world["account"]
    body = {"url": world["server"].url("/a.xml"), "account_id": account.id, "interval_minutes": 30}
    created = client.post("/v1/sources", json=body, headers=rep.headers)
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    fetched = client.post(f"/v1/sources/{source_id}/fetch", headers=rep.headers)
    assert fetched.status_code == 200, fetched.text
    status = client.get(f"/v1/sources/{source_id}", headers=rep.headers).json()
    assert (status["last_status"], status["last_http_code"], status["last_new"]) == ("ok", 200, 2)
    assert status["last_fetch_at"] is not None
    signals = client.get(f"/v1/accounts/{account.id}/signals", headers=rep.headers).json()
    assert len(signals) == 2
    assert {s["model_version"] for s in signals} == {shipped_model().version}
    expansion = client.get(
        f"/v1/accounts/{account.id}/signals", params={"type": "expansion"}, headers=rep.headers
    ).json()
    assert [s["title"] for s in expansion] == ["Fennick Labs opens research office in Lisbon"]
    later = client.get(
        f"/v1/accounts/{account.id}/signals",
        params={"since": "2030-01-01T00:00:00Z"},
        headers=rep.headers,
    )
    assert later.json() == []
    bad_type = client.get(
        f"/v1/accounts/{account.id}/signals", params={"type": "gossip"}, headers=rep.headers
    )
    assert bad_type.status_code == 422


def test_local_paths_and_other_schemes_are_refused_through_the_api(world: dict) -> None:
    client, rep = world["client"], world["rep"]
    for url in ("/etc/passwd", "file:///etc/passwd", "ftp://example.com/x", "gopher://x"):
        response = client.post("/v1/sources", json={"url": url}, headers=rep.headers)
        assert response.status_code == 422, url


def test_unsafe_urls_are_refused_at_creation_and_again_at_fetch(
    world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, rep, account = world["client"], world["rep"], world["account"]
    monkeypatch.delenv("DEALSCOUT_ALLOW_PRIVATE_URLS")
    get_settings.cache_clear()
    strict = TestClient(create_app(get_settings()))
    url = "http://169.254.169.254/latest/meta-data/"
    created = strict.post("/v1/sources", json={"url": url, "account_id": account.id},
                          headers=rep.headers)  # fmt: skip
    assert created.status_code == 422 and "metadata" in created.json()["detail"]
    # a source stored before the creation check (or whose name resolves elsewhere later)
    session = open_session(get_settings())
    stored = Source(workspace_id=rep.user.workspace_id, account_id=account.id, url=url)
    session.add(stored)
    session.commit()
    refused = strict.post(f"/v1/sources/{stored.id}/fetch", headers=rep.headers)
    assert refused.status_code == 422
    status = client.get(f"/v1/sources/{stored.id}", headers=rep.headers).json()
    assert status["last_status"] == "refused" and status["last_error"]
    session.close()


def test_other_workspaces_cannot_see_or_fetch_sources(world: dict) -> None:
    client, rep, outsider, account = (
        world["client"],
        world["rep"],
        world["outsider"],
        world["account"],
    )
    body = {"url": world["server"].url("/a.xml"), "account_id": account.id}
    source_id = client.post("/v1/sources", json=body, headers=rep.headers).json()["id"]
    for method, path in (
        ("get", f"/v1/sources/{source_id}"),
        ("post", f"/v1/sources/{source_id}/fetch"),
        ("delete", f"/v1/sources/{source_id}"),
        ("get", f"/v1/accounts/{account.id}/signals"),
    ):
        assert getattr(client, method)(path, headers=outsider.headers).status_code == 404, path
    assert client.get("/v1/sources", headers=outsider.headers).json() == []
    assert world["server"].hits("/a.xml") == 0


@pytest.mark.parametrize(
    ("path", "body", "content_type", "reason"),
    [
        ("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png", "unsupported content type"),
        # a server that labels an image as text: the bytes tell
        ("/logo", b"\x89PNG\r\n\x1a\n" + bytes(64), "text/plain", "PNG image"),
        ("/empty.txt", b"", "text/plain", "empty document"),
        (
            "/accounts.csv",
            b"Name,Domain,Tier\nFennick Labs,fennick.example,1\nB,b.example,2\n",
            "text/csv",
            "CSV",
        ),
    ],
)
def test_a_fetched_non_document_is_refused_with_its_reason(
    world: dict, path: str, body: bytes, content_type: str, reason: str
) -> None:
    from tests.support.httpserver import Reply

    client, rep, account, server = world["client"], world["rep"], world["account"], world["server"]
    server.add(path, Reply(body=body, content_type=content_type))
    created = client.post(
        "/v1/sources", json={"url": server.url(path), "account_id": account.id}, headers=rep.headers
    )
    source_id = created.json()["id"]
    refused = client.post(f"/v1/sources/{source_id}/fetch", headers=rep.headers)
    assert refused.status_code == 422 and reason in refused.json()["detail"]
    status = client.get(f"/v1/sources/{source_id}", headers=rep.headers).json()
    assert status["last_status"] == "refused" and reason in status["last_error"]
    assert client.get(f"/v1/accounts/{account.id}/signals", headers=rep.headers).json() == []


def test_off_topic_and_review_links_are_listed_with_their_reasons(world: dict) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.support.feeds import recent_copy

    client, rep, server = world["client"], world["rep"], world["server"]
    feed = (FIXTURES / "alerts" / "google_alert_caliper.xml").read_text(encoding="utf-8")
    server.text(
        "/alert.xml",
        recent_copy(feed, datetime.now(UTC) - timedelta(days=1)),
        content_type="application/atom+xml",
    )
    account = client.post("/v1/accounts", json={"name": "Caliper"}, headers=rep.headers).json()
    body = {"url": server.url("/alert.xml"), "account_id": account["id"]}
    source_id = client.post("/v1/sources", json=body, headers=rep.headers).json()["id"]
    assert client.post(f"/v1/sources/{source_id}/fetch", headers=rep.headers).status_code == 200

    def listed(link: str) -> list[dict]:
        url = f"/v1/accounts/{account['id']}/signals"
        response = client.get(url, params={"link": link}, headers=rep.headers)
        assert response.status_code == 200, response.text
        return response.json()

    matched, off_topic = listed("matched"), listed("off_topic")
    assert (len(matched), len(off_topic), len(listed("ambiguous"))) == (6, 4, 0)
    assert all(s["link_status"] == "matched" and s["aboutness"] >= 0.5 for s in matched)
    spam = [s for s in off_topic if s["junk_reason"]]
    assert len(spam) == 2 and all(s["link_reason"] == s["junk_reason"] for s in spam)
    assert all("ordinary word" in s["link_reason"] for s in off_topic if not s["junk_reason"])
    assert {s["source_name"] for s in off_topic} == {
        "openpr.com", "marketwatch.com", "autoblog.com", "motor1.com"
    }  # fmt: skip
    bad = client.get(
        f"/v1/accounts/{account['id']}/signals", params={"link": "maybe"}, headers=rep.headers
    )
    assert bad.status_code == 422
