"""The caller's digest over HTTP: preview, opt in (checked webhook URL), opt out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.support.factories import create_member, create_workspace, open_session


def test_preview_and_opt_in_and_out(monkeypatch: pytest.MonkeyPatch) -> None:
    session = open_session(get_settings())
    workspace = create_workspace(session, "acme")
    rep = create_member(session, workspace, "rep@acme.test", "rep")
    manager = create_member(session, workspace, "mgr@acme.test", "manager")
    client = TestClient(create_app(get_settings()))
    preview = client.get("/v1/digests/preview", headers=rep.headers)
    assert preview.status_code == 200 and preview.json()["kind"] == "daily"
    weekly = client.get("/v1/digests/preview", headers=manager.headers).json()
    assert [s["id"] for s in weekly["sections"]] == ["reviews", "stalled", "headline"]
    assert client.get("/v1/digests/preview?kind=hourly", headers=rep.headers).status_code == 422
    assert client.get("/v1/digests/subscription", headers=rep.headers).status_code == 404
    refused = client.put(
        "/v1/digests/subscription", json={"webhook_url": "http://169.254.169.254/x"},
        headers=rep.headers,
    )  # fmt: skip
    assert refused.status_code == 422 and "metadata" in refused.json()["detail"]
    no_channel = client.put("/v1/digests/subscription", json={"email": False}, headers=rep.headers)
    assert no_channel.status_code == 422
    opted = client.put("/v1/digests/subscription", json={}, headers=rep.headers)
    assert opted.status_code == 200
    assert opted.json() == {"daily": True, "weekly": False, "email": True, "webhook_url": None}
    assert client.get("/v1/digests/subscription", headers=rep.headers).status_code == 200
    assert client.delete("/v1/digests/subscription", headers=rep.headers).status_code == 204
    assert client.get("/v1/digests/subscription", headers=rep.headers).status_code == 404
    session.close()
