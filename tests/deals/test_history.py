"""Stage history through the API and the CSV import: every change recorded with time,
actor and door; lost needs a listed reason; future-dated changes are refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.support.factories import create_account, create_member, create_workspace, open_session


@pytest.fixture
def world(any_db: str) -> Iterator[dict]:
    settings = get_settings()
    session = open_session(settings)
    acme = create_workspace(session, "acme")
    members = {
        "rep": create_member(session, acme, "rep@acme.test", "rep"),
        "rep2": create_member(session, acme, "rep2@acme.test", "rep"),
        "manager": create_member(session, acme, "mgr@acme.test", "manager"),
    }
    account = create_account(session, members["rep"], "Halvard Freight")
    yield {"client": TestClient(create_app(settings)), "m": members, "account": account}
    session.close()


def _create(world: dict, **body: object) -> dict:
    body = {"name": "Deal", "account_id": world["account"].id, "stage": "qualify", **body}
    response = world["client"].post("/v1/deals", json=body, headers=world["m"]["rep"].headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_every_stage_change_is_recorded_with_time_actor_and_door(world: dict) -> None:
    client, rep = world["client"], world["m"]["rep"]
    entered = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    deal = _create(world, stage_changed_at=entered)
    moved = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    response = client.patch(
        f"/v1/deals/{deal['id']}",
        json={"stage": "discover", "stage_changed_at": moved},
        headers=rep.headers,
    )
    assert response.status_code == 200, response.text
    client.patch(f"/v1/deals/{deal['id']}", json={"amount": 5}, headers=rep.headers)  # no change
    history = client.get(f"/v1/deals/{deal['id']}/history", headers=rep.headers).json()
    assert [(h["from_stage"], h["to_stage"], h["source"]) for h in history] == [
        (None, "qualify", "api"), ("qualify", "discover", "api")]  # fmt: skip
    assert {h["actor_id"] for h in history} == {rep.user.id}
    assert datetime.fromisoformat(history[0]["changed_at"]) == datetime.fromisoformat(entered)
    other = client.get(f"/v1/deals/{deal['id']}/history", headers=world["m"]["rep2"].headers)
    assert other.status_code == 404  # another rep's deal


def test_future_dated_out_of_order_and_unexplained_losses_are_refused(world: dict) -> None:
    client, rep = world["client"], world["m"]["rep"]
    deal = _create(world)
    path, headers = f"/v1/deals/{deal['id']}", rep.headers
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = client.patch(
        path, json={"stage": "discover", "stage_changed_at": future}, headers=headers
    )
    assert response.status_code == 422 and "future" in response.json()["detail"]
    past = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    response = client.patch(
        path, json={"stage": "discover", "stage_changed_at": past}, headers=headers
    )
    assert (
        response.status_code == 422
        and "before the deal's latest change" in response.json()["detail"]
    )
    response = client.patch(path, json={"stage": "lost"}, headers=headers)
    assert response.status_code == 422 and "loss reason" in response.json()["detail"]
    response = client.patch(path, json={"stage": "lost", "loss_reason": "aliens"}, headers=headers)
    assert response.status_code == 422 and "price" in response.json()["detail"]  # lists valid ones
    response = client.patch(path, json={"stage": "won", "loss_reason": "price"}, headers=headers)
    assert response.status_code == 422
    response = client.patch(
        path, json={"stage": "lost", "loss_reason": "competitor"}, headers=headers
    )
    assert response.status_code == 200 and response.json()["loss_reason"] == "competitor"
    history = client.get(f"{path}/history", headers=headers).json()
    assert [h["to_stage"] for h in history] == ["qualify", "lost"]
    assert history[-1]["loss_reason"] == "competitor"


def test_loss_reasons_are_a_per_workspace_editable_list(world: dict) -> None:
    client, manager, rep = world["client"], world["m"]["manager"], world["m"]["rep"]
    shipped = client.get("/v1/loss-reasons", headers=rep.headers).json()
    assert "price" in [r["code"] for r in shipped]
    assert client.put("/v1/loss-reasons", json=shipped, headers=rep.headers).status_code == 403
    custom = [
        {"code": "budget_cut", "label": "Budget cut"},
        {"code": "price", "label": "Too dear", "active": False},
    ]
    response = client.put("/v1/loss-reasons", json=custom, headers=manager.headers)
    assert response.status_code == 200, response.text
    assert [(r["code"], r["active"]) for r in response.json()] == [
        ("budget_cut", True),
        ("price", False),
    ]
    deal = _create(world)
    response = client.patch(
        f"/v1/deals/{deal['id']}",
        json={"stage": "lost", "loss_reason": "price"},
        headers=rep.headers,
    )
    assert response.status_code == 422  # deactivated
    response = client.patch(
        f"/v1/deals/{deal['id']}",
        json={"stage": "lost", "loss_reason": "budget_cut"},
        headers=rep.headers,
    )
    assert response.status_code == 200
    response = client.put(
        "/v1/loss-reasons", json=[{"code": "price", "label": "x"}], headers=manager.headers
    )
    assert response.status_code == 422 and "used by lost deals" in response.json()["detail"]


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_csv_import_records_history_columns_and_refuses_future_dates(world: dict) -> None:
    client, manager = world["client"], world["m"]["manager"]
    row = {
        "Deal Name": "Imported", "Account Name": "Halvard Freight", "Stage": "lost",
        "Date entered Prospect": "2026-01-05", "Date entered Qualify": "2026-01-20T10:00:00Z",
        "Date entered Lost": "2026-02-01", "Loss Reason": "timing",
    }  # fmt: skip
    files = {"file": ("deals.csv", _csv([row]), "text/csv")}
    response = client.post("/v1/deals/import", files=files, headers=manager.headers)
    assert response.status_code == 200, response.text
    deal = next(
        d
        for d in client.get("/v1/deals", headers=manager.headers).json()
        if d["name"] == "Imported"
    )
    history = client.get(f"/v1/deals/{deal['id']}/history", headers=manager.headers).json()
    assert [(h["to_stage"], h["changed_at"][:10], h["source"]) for h in history] == [
        ("prospect", "2026-01-05", "import"), ("qualify", "2026-01-20", "import"),
        ("lost", "2026-02-01", "import")]  # fmt: skip
    assert history[-1]["loss_reason"] == "timing" and deal["loss_reason"] == "timing"
    future = {**row, "Deal Name": "Later", "Date entered Lost": "2999-01-01"}
    files = {"file": ("deals.csv", _csv([future]), "text/csv")}
    response = client.post("/v1/deals/import", files=files, headers=manager.headers)
    assert response.status_code == 422 and "future" in response.json()["detail"]
    names = [d["name"] for d in client.get("/v1/deals", headers=manager.headers).json()]
    assert "Later" not in names  # all rows or none
