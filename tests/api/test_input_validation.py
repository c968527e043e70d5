"""Hostile and careless input answers 4xx with a reason, never 500, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.core.db import utcnow
from tests.support.factories import (
    Member,
    create_account,
    create_member,
    create_workspace,
    open_session,
)

HUGE_IDS = (2**31, 2**63, 2**64 + 1)


@pytest.fixture
def world(any_db: str) -> Iterator[dict]:
    settings = get_settings()
    session = open_session(settings)
    acme = create_workspace(session, "acme")
    manager = create_member(session, acme, "mgr@acme.test", "manager")
    account = create_account(session, manager, "Fennick Labs")
    create_account(session, manager, "Taken Co")
    yield {"client": TestClient(create_app(settings)), "manager": manager, "account": account}
    session.close()


def _deal(client: TestClient, manager: Member, account_id: int) -> int:
    body = {"name": "Pilot", "account_id": account_id}
    created = client.post("/v1/deals", json=body, headers=manager.headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_ids_and_offsets_past_the_store_range_are_422(world: dict) -> None:
    client, headers = world["client"], world["manager"].headers
    for huge in HUGE_IDS:
        for path in (f"/v1/accounts/{huge}", f"/v1/deals/{huge}", f"/v1/sources/{huge}",
                     f"/v1/accounts/{huge}/brief", f"/v1/users/{huge}"):  # fmt: skip
            assert client.get(path, headers=headers).status_code == 422, path
        answers = [
            client.get("/v1/accounts", params={"offset": huge}, headers=headers),
            client.get("/v1/queue", params={"offset": huge}, headers=headers),
            client.get("/v1/sources", params={"account_id": huge}, headers=headers),
            client.post("/v1/deals", json={"name": "x", "account_id": huge}, headers=headers),
            client.post(
                "/v1/accounts", json={"name": "Big", "employee_count": huge}, headers=headers
            ),  # fmt: skip
        ]
        assert [a.status_code for a in answers] == [422] * len(answers), huge


def test_null_for_a_required_field_is_422_not_500(world: dict) -> None:
    client, manager, account = world["client"], world["manager"], world["account"]
    for body in ({"name": None}, {"aliases": None}):
        answer = client.patch(f"/v1/accounts/{account.id}", json=body, headers=manager.headers)
        assert answer.status_code == 422 and "cannot be null" in answer.text, body
    deal_id = _deal(client, manager, account.id)
    for body in ({"name": None}, {"stage": None}, {"currency": None}, {"contacts": None}):
        answer = client.patch(f"/v1/deals/{deal_id}", json=body, headers=manager.headers)
        assert answer.status_code == 422, body
    # null where the column may be empty still clears it
    cleared = client.patch(f"/v1/accounts/{account.id}", json={"industry": None},
                           headers=manager.headers)  # fmt: skip
    assert cleared.status_code == 200


def test_duplicate_names_are_409(world: dict) -> None:
    client, manager, account = world["client"], world["manager"], world["account"]
    renamed = client.patch(f"/v1/accounts/{account.id}", json={"name": "Taken Co"},
                           headers=manager.headers)  # fmt: skip
    assert renamed.status_code == 409 and "already exists" in renamed.json()["detail"]
    again = client.post("/v1/accounts", json={"name": "Taken Co"}, headers=manager.headers)
    assert again.status_code == 409
    same = client.patch(f"/v1/accounts/{account.id}", json={"name": "Fennick Labs"},
                        headers=manager.headers)  # fmt: skip
    assert same.status_code == 200


def test_amounts_must_be_finite(world: dict) -> None:
    client, manager, account = world["client"], world["manager"], world["account"]
    headers = {**manager.headers, "content-type": "application/json"}
    for raw in (b"Infinity", b"NaN", b"1e400"):
        body = b'{"name": "x", "account_id": %d, "amount": %s}' % (account.id, raw)
        assert client.post("/v1/deals", content=body, headers=headers).status_code == 422, raw


def test_dates_of_past_events_cannot_be_in_the_future(world: dict) -> None:
    client, manager, account = world["client"], world["manager"], world["account"]
    ahead = (utcnow().date() + timedelta(days=30)).isoformat()
    deal = {"name": "Later", "account_id": account.id, "close_date": ahead}
    assert client.post("/v1/deals", json=deal, headers=manager.headers).status_code == 201
    deal_id = _deal(client, manager, account.id)
    for field in ("last_buyer_activity", "proposal_sent_on"):
        answer = client.patch(f"/v1/deals/{deal_id}", json={field: "2030-01-01"},
                              headers=manager.headers)  # fmt: skip
        assert answer.status_code == 422 and "future" in answer.text, field
    note = {"text": "Call with the CFO went well.", "buyer_activity": ahead}
    answer = client.post(f"/v1/deals/{deal_id}/notes", json=note, headers=manager.headers)
    assert answer.status_code == 422 and "future" in answer.text
    today = utcnow().date().isoformat()
    note["buyer_activity"] = today
    assert (
        client.post(f"/v1/deals/{deal_id}/notes", json=note, headers=manager.headers).status_code
        == 201
    )


def test_csv_import_reports_every_bad_row_and_refuses_broken_quotes(world: dict) -> None:
    client, manager = world["client"], world["manager"]
    csv = (
        "name,domain,employees\n"
        "Good Co,good.example,5\n"
        "Bad Count,bad.example,many\n"
        "Too,many,1,fields\n"
        '"Unclosed,quote.example,5\n'
        "Never Read,never.example,1\n"
    )
    files = {"file": ("a.csv", csv.encode(), "text/csv")}
    answer = client.post("/v1/accounts/import", files=files, headers=manager.headers)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "3 bad rows" in detail
    assert "row 3: employees" in detail and "row 4: 4 fields" in detail
    assert "row 5: malformed CSV" in detail and "unterminated quote" in detail
    names = {a["name"] for a in client.get("/v1/accounts", headers=manager.headers).json()}
    assert not any(name.startswith('"') or name == "Good Co" for name in names)


def test_deal_csv_refuses_future_buyer_activity_on_every_row(world: dict) -> None:
    client, manager = world["client"], world["manager"]
    csv = (
        "deal name,account,last buyer activity\n"
        "A,Fennick Labs,2030-01-01\n"
        "B,Fennick Labs,2020-01-01\n"
        "C,Nobody Inc,2020-01-01\n"
        "D,Fennick Labs,2031-05-05\n"
    )
    files = {"file": ("d.csv", csv.encode(), "text/csv")}
    answer = client.post("/v1/deals/import", files=files, headers=manager.headers)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "row 2: last_buyer_activity" in detail and "future" in detail
    assert "row 4: unknown account" in detail and "row 5: last_buyer_activity" in detail
    assert client.get("/v1/deals", headers=manager.headers).json() == []
