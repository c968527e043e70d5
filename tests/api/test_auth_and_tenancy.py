"""Authentication, roles and workspace isolation through the real HTTP app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dealscout.accounts.models import ApiToken
from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.core.db import utcnow
from tests.support.factories import create_account, create_member, create_workspace, open_session


@pytest.fixture
def world(any_db: str) -> Iterator[dict]:
    settings = get_settings()
    session = open_session(settings)
    acme = create_workspace(session, "acme")
    other = create_workspace(session, "other")
    members = {
        "manager": create_member(session, acme, "mgr@acme.test", "manager"),
        "rep1": create_member(session, acme, "rep1@acme.test", "rep"),
        "rep2": create_member(session, acme, "rep2@acme.test", "rep"),
        "admin": create_member(session, acme, "admin@acme.test", "admin"),
        "outsider": create_member(session, other, "boss@other.test", "admin"),
    }
    accounts = {
        "rep1s": create_account(session, members["rep1"], "Rep One Co", domain="one.example"),
        "rep2s": create_account(session, members["rep2"], "Rep Two Co"),
        "theirs": create_account(session, members["outsider"], "Other Co"),
    }
    client = TestClient(create_app(settings))
    yield {"client": client, "members": members, "accounts": accounts, "session": session}
    session.close()


def test_requests_without_a_valid_token_are_refused(world: dict) -> None:
    client = world["client"]
    assert client.get("/v1/accounts").status_code == 401
    assert client.get("/v1/accounts", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/v1/accounts", headers={"Authorization": "Basic abc"}).status_code == 401
    forged = {"Authorization": "Bearer ds_" + "x" * 43}
    response = client.get("/v1/accounts", headers=forged)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_reps_see_their_own_accounts_and_managers_see_the_team(world: dict) -> None:
    client, members, accounts = world["client"], world["members"], world["accounts"]

    def names(who: str) -> set[str]:
        response = client.get("/v1/accounts", headers=members[who].headers)
        return {a["name"] for a in response.json()}

    assert names("rep1") == {"Rep One Co"}
    assert names("manager") == {"Rep One Co", "Rep Two Co"}
    assert names("outsider") == {"Other Co"}
    rep2_account = accounts["rep2s"].id
    assert (
        client.get(f"/v1/accounts/{rep2_account}", headers=members["rep1"].headers).status_code
        == 404
    )
    assert (
        client.get(f"/v1/accounts/{rep2_account}", headers=members["manager"].headers).status_code
        == 200
    )


def test_another_workspace_ids_answer_404_for_every_verb(world: dict) -> None:
    client, members, accounts = world["client"], world["members"], world["accounts"]
    ours = accounts["rep1s"].id
    headers = members["outsider"].headers
    assert client.get(f"/v1/accounts/{ours}", headers=headers).status_code == 404
    assert (
        client.patch(f"/v1/accounts/{ours}", json={"industry": "x"}, headers=headers).status_code
        == 404
    )
    assert client.delete(f"/v1/accounts/{ours}", headers=headers).status_code == 404
    rep1_id = members["rep1"].user.id
    assert client.get(f"/v1/users/{rep1_id}", headers=headers).status_code == 404
    check = client.get(f"/v1/accounts/{ours}", headers=members["manager"].headers)
    assert check.json()["industry"] is None


def test_revoked_and_expired_tokens_stop_working(world: dict) -> None:
    client, members, session = world["client"], world["members"], world["session"]
    admin, rep1 = members["admin"], members["rep1"]
    issued = client.post(
        f"/v1/users/{rep1.user.id}/tokens", json={"name": "laptop"}, headers=admin.headers
    )
    assert issued.status_code == 201
    new_token = issued.json()["token"]
    bearer = {"Authorization": f"Bearer {new_token}"}
    assert client.get("/v1/me", headers=bearer).json()["email"] == "rep1@acme.test"
    assert (
        client.delete(f"/v1/tokens/{issued.json()['id']}", headers=admin.headers).status_code == 200
    )
    assert client.get("/v1/me", headers=bearer).status_code == 401

    row = session.scalar(
        select(ApiToken).where(ApiToken.user_id == rep1.user.id).order_by(ApiToken.id)
    )
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/v1/me", headers=rep1.headers).status_code == 401


def test_roles_guard_user_management(world: dict) -> None:
    client, members = world["client"], world["members"]
    body = {"email": "new@acme.test", "role": "rep"}
    assert client.post("/v1/users", json=body, headers=members["rep1"].headers).status_code == 403
    assert (
        client.post("/v1/users", json=body, headers=members["manager"].headers).status_code == 403
    )
    created = client.post("/v1/users", json=body, headers=members["admin"].headers)
    assert created.status_code == 201
    again = client.post("/v1/users", json=body, headers=members["admin"].headers)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]


def test_account_crud_and_validation(world: dict) -> None:
    client, members = world["client"], world["members"]
    headers = members["rep1"].headers
    created = client.post(
        "/v1/accounts",
        json={"name": "Fresh Co", "domain": "https://www.Fresh.example/x"},
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["domain"] == "fresh.example" and body["owner_id"] == members["rep1"].user.id
    bad = client.post(
        "/v1/accounts", json={"name": "Bad Co", "domain": "not a domain"}, headers=headers
    )
    assert bad.status_code == 422
    patched = client.patch(
        f"/v1/accounts/{body['id']}", json={"employee_count": 50}, headers=headers
    )
    assert patched.json()["employee_count"] == 50
    assert client.delete(f"/v1/accounts/{body['id']}", headers=headers).status_code == 204
    assert client.get(f"/v1/accounts/{body['id']}", headers=headers).status_code == 404


def test_csv_import_through_the_api(world: dict) -> None:
    client, members = world["client"], world["members"]
    csv_text = (
        "Account Name,Website,Industry,Employees,Account Owner Email\n"
        'Imported One,https://imported1.example,logistics,"1,200",rep1@acme.test\n'
        "Imported Two,imported2.example,retail,80,\n"
    )
    response = client.post(
        "/v1/accounts/import",
        files={"file": ("crm.csv", csv_text, "text/csv")},
        headers=members["manager"].headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    mine = {a["name"] for a in client.get("/v1/accounts", headers=members["rep1"].headers).json()}
    assert "Imported One" in mine and "Imported Two" not in mine
    bad = "Account Name,Employees\nBroken,lots\n"
    refused = client.post(
        "/v1/accounts/import",
        files={"file": ("crm.csv", bad, "text/csv")},
        headers=members["manager"].headers,
    )
    assert refused.status_code == 422 and "row 2" in refused.json()["detail"]


def test_health_and_readiness(world: dict) -> None:
    client = world["client"]
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) == {"database", "broker", "vectorstore"}
    assert client.get("/openapi.json").json()["info"]["title"] == "dealscout"
