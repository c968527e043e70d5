"""Request bounds: body size before auth, NUL characters, failed-auth and per-token rates.

One test runs a real uvicorn server on loopback and streams a 50 MB body at it, with and
without a token, to show the refusal arrives before the body is read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.api.middleware.limits import WindowCounter
from dealscout.core.config import get_settings
from tests.support.factories import Member, create_member, create_workspace, open_session
from tests.support.rawhttp import time_to_refusal


@pytest.fixture
def member(monkeypatch: pytest.MonkeyPatch) -> Member:
    monkeypatch.setenv("DEALSCOUT_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("DEALSCOUT_MAX_UPLOAD_BYTES", "65536")
    monkeypatch.setenv("DEALSCOUT_AUTH_FAILURES_PER_MINUTE", "5")
    monkeypatch.setenv("DEALSCOUT_TOKEN_REQUESTS_PER_MINUTE", "30")
    get_settings.cache_clear()
    session = open_session(get_settings())
    found = create_member(session, create_workspace(session, "acme"), "mgr@acme.test", "manager")
    session.close()
    return found


@pytest.fixture
def client(member: Member) -> TestClient:
    return TestClient(create_app(get_settings()))


def test_a_body_over_the_limit_is_refused_before_auth(client: TestClient, member: Member) -> None:
    big = {"name": "x" * 5000}
    for headers in ({}, member.headers):
        refused = client.post("/v1/accounts", json=big, headers=headers)
        assert refused.status_code == 413, headers
        assert "4096" in refused.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        yield b'{"name": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    streamed = client.post(
        "/v1/accounts",
        content=chunks(),
        headers={**member.headers, "content-type": "application/json"},
    )
    assert streamed.status_code == 413
    small = client.post("/v1/accounts", json={"name": "Small Co"}, headers=member.headers)
    assert small.status_code == 201


def test_csv_imports_get_the_larger_upload_limit(client: TestClient, member: Member) -> None:
    rows = "".join(f"Co {i},co{i}.example\n" for i in range(400))  # ~6 kB
    csv = ("name,domain\n" + rows).encode()
    files = {"file": ("a.csv", csv, "text/csv")}
    imported = client.post("/v1/accounts/import", files=files, headers=member.headers)
    assert imported.status_code == 200 and imported.json()["created"] == 400
    huge = {"file": ("b.csv", b"name\n" + b"z" * 70_000, "text/csv")}
    assert client.post("/v1/accounts/import", files=huge, headers=member.headers).status_code == 413


def test_nul_characters_are_refused_with_a_reason(client: TestClient, member: Member) -> None:
    body = b'{"name": "Nul\\u0000Co"}'
    headers = {**member.headers, "content-type": "application/json"}
    refused = client.post("/v1/accounts", content=body, headers=headers)
    assert refused.status_code == 422 and "NUL" in refused.json()["detail"]
    escaped = b'{"name": "Back\\\\u0000slash"}'  # a backslash, then the text u0000: fine
    assert client.post("/v1/accounts", content=escaped, headers=headers).status_code == 201
    query = client.get("/v1/accounts", params={"offset": "0\x00"}, headers=member.headers)
    assert query.status_code == 422 and "NUL" in query.json()["detail"]
    csv = {"file": ("a.csv", b"name\nNul\x00Co\n", "text/csv")}
    upload = client.post("/v1/accounts/import", files=csv, headers=member.headers)
    assert upload.status_code == 422 and "NUL" in upload.json()["detail"]


def test_failed_authentication_is_limited_per_client_address(
    client: TestClient, member: Member
) -> None:
    wrong = {"Authorization": "Bearer ds_" + "w" * 40}
    answers = [client.get("/v1/me", headers=wrong).status_code for _ in range(5)]
    assert answers == [401] * 5
    blocked = client.get("/v1/me", headers=wrong)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # the address is blocked even with a valid token until the window ends
    assert client.get("/v1/me", headers=member.headers).status_code == 429


def test_a_token_over_its_request_rate_gets_429(client: TestClient, member: Member) -> None:
    answers = [client.get("/v1/me", headers=member.headers).status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_rate_limits_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, member: Member) -> None:
    monkeypatch.setenv("DEALSCOUT_TOKEN_REQUESTS_PER_MINUTE", "0")
    monkeypatch.setenv("DEALSCOUT_AUTH_FAILURES_PER_MINUTE", "0")
    get_settings.cache_clear()
    client = TestClient(create_app(get_settings()))
    wrong = {"Authorization": "Bearer ds_" + "w" * 40}
    assert {client.get("/v1/me", headers=wrong).status_code for _ in range(8)} == {401}
    assert {client.get("/v1/me", headers=member.headers).status_code for _ in range(40)} == {200}


def test_window_counter_opens_again_after_its_window() -> None:
    now = [0.0]
    counter = WindowCounter(limit=2, clock=lambda: now[0])
    counter.add("a")
    counter.add("a")
    assert counter.retry_after("a") == 60 and counter.retry_after("b") is None
    now[0] = 59.5
    assert counter.retry_after("a") == 1
    now[0] = 60.0
    assert counter.retry_after("a") is None


def test_a_real_server_refuses_50_mb_within_a_second(member: Member) -> None:
    config = uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=0, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        for headers in ("", f"Authorization: Bearer {member.token}\r\n"):
            seconds, answer = time_to_refusal(port, size=50 * 1024 * 1024, headers=headers)
            assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
            assert seconds < 1.0, seconds
    finally:
        server.should_exit = True
        thread.join(timeout=10)
