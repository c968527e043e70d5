"""The queue over HTTP: who sees what, and how feedback reorders it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.queue.world import NOW, World, build_world
from tests.support.factories import open_session


@pytest.fixture
def world(any_db: str) -> Iterator[tuple[TestClient, World]]:
    settings = get_settings()
    session = open_session(settings)
    built = build_world(session)
    yield TestClient(create_app(settings)), built
    session.close()


def _queue(client: TestClient, world: World, who: str, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/queue", params=params, headers=world.members[who].headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    for item in body["items"]:
        assert round(sum(c["value"] for c in item["contributions"]), 4) == item["score"]
    return body


def _names(client: TestClient, world: World, who: str, **params: Any) -> list[str]:
    return [item["account"] for item in _queue(client, world, who, **params)["items"]]


def test_reps_see_their_accounts_and_managers_the_team(world: tuple[TestClient, World]) -> None:
    client, w = world
    rep1 = {"Halvard Freight", "Quillstone Bank", "Orchard Robotics"}
    assert set(_names(client, w, "rep1")) == rep1
    assert set(_names(client, w, "rep2")) == {"Lumenfield Health"}
    assert set(_names(client, w, "manager")) == rep1 | {"Lumenfield Health"}
    assert set(_names(client, w, "manager", rep="rep2@acme.test")) == {"Lumenfield Health"}
    assert _names(client, w, "outsider") == ["Other Co"]
    assert _queue(client, w, "rep1", rep="rep1@acme.test")["rep"] == "rep1@acme.test"

    def status(who: str, rep: str) -> int:
        headers = w.members[who].headers
        return client.get("/v1/queue", params={"rep": rep}, headers=headers).status_code

    assert status("rep1", "rep2@acme.test") == 403
    assert status("manager", "nobody@acme.test") == 404
    assert status("outsider", "rep1@acme.test") == 404
    assert client.get("/v1/queue").status_code == 401


def test_the_queue_shape_follows_the_contract(world: tuple[TestClient, World]) -> None:
    client, w = world
    body = _queue(client, w, "manager", limit=2)
    assert body["weights_version"] == "default-1" and body["total"] == 4
    assert [i["rank"] for i in body["items"]] == [1, 2]
    item = body["items"][0]
    assert {"account", "account_id", "score", "rank", "reasons", "contributions"} <= set(item)
    assert 1 <= len(item["reasons"]) <= 3 and item["opening_line"]
    cited = {c for r in item["reasons"] for c in r["citations"]}
    assert cited <= {c.get("signal_id") for c in item["contributions"]}
    second = _queue(client, w, "manager", limit=2, offset=2)["items"]
    assert [i["rank"] for i in second] == [3, 4]


def test_feedback_reorders_the_queue_for_that_rep_only(world: tuple[TestClient, World]) -> None:
    client, w = world
    headers = w.members["rep1"].headers
    halvard, quill = w.accounts["halvard"].id, w.accounts["quill"].id
    start = _names(client, w, "rep1")
    assert start[0] == "Halvard Freight"

    until = (NOW + timedelta(days=7)).date().isoformat()
    snoozed = client.post(f"/v1/queue/{halvard}/snooze", json={"until": until}, headers=headers)
    assert snoozed.status_code == 200 and snoozed.json()["snoozed_until"] == until
    assert _names(client, w, "rep1")[-1] == "Halvard Freight"
    assert _names(client, w, "manager")[0] == "Halvard Freight"  # kept per rep
    assert _names(client, w, "manager", rep="rep1@acme.test")[-1] == "Halvard Freight"

    before = {i["account_id"]: i["score"] for i in _queue(client, w, "rep1")["items"]}
    assert client.post(f"/v1/queue/{quill}/contacted", headers=headers).status_code == 200
    after = {i["account_id"]: i for i in _queue(client, w, "rep1")["items"]}
    contact = next(c for c in after[quill]["contributions"] if c["kind"] == "contact")
    assert contact["value"] < 0
    assert after[quill]["score"] == pytest.approx(before[quill] + contact["value"], abs=2e-4)


def test_dismissing_a_signal_drops_it_from_that_reps_queue(
    world: tuple[TestClient, World],
) -> None:
    client, w = world
    headers = w.members["rep1"].headers
    assert _names(client, w, "rep1")[:2] == ["Halvard Freight", "Quillstone Bank"]
    for key in ("halvard_funding", "halvard_hiring"):
        signal_id = w.signals[key].id
        response = client.post(f"/v1/signals/{signal_id}/dismiss", headers=headers)
        assert response.status_code == 200 and response.json()["dismissed"] is True
    assert _names(client, w, "rep1")[:2] == ["Quillstone Bank", "Halvard Freight"]
    halvard = next(
        i for i in _queue(client, w, "rep1")["items"] if i["account"] == "Halvard Freight"
    )
    assert all(c["kind"] != "signal" for c in halvard["contributions"])
    assert _names(client, w, "rep1", type="funding") == []
    assert _names(client, w, "manager", type="funding") == [
        "Halvard Freight",
        "Lumenfield Health",
    ]


def test_feedback_on_objects_out_of_reach_answers_404(world: tuple[TestClient, World]) -> None:
    client, w = world
    outsider, rep2 = w.members["outsider"].headers, w.members["rep2"].headers
    halvard = w.accounts["halvard"].id
    theirs = w.signals["theirs_funding"].id
    ours = w.signals["halvard_funding"].id
    until = {"until": (NOW + timedelta(days=3)).date().isoformat()}
    assert (
        client.post(f"/v1/queue/{halvard}/snooze", json=until, headers=outsider).status_code == 404
    )
    assert client.post(f"/v1/queue/{halvard}/contacted", headers=rep2).status_code == 404
    assert client.post(f"/v1/signals/{ours}/dismiss", headers=outsider).status_code == 404
    assert client.post(f"/v1/signals/{theirs}/dismiss", headers=rep2).status_code == 404
    past = {"until": (NOW - timedelta(days=1)).date().isoformat()}
    headers = w.members["rep1"].headers
    assert client.post(f"/v1/queue/{halvard}/snooze", json=past, headers=headers).status_code == 422
