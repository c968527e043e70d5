"""Every route × every role inside one workspace, generated from the app's own routes.

``MATRIX`` names the answer each role gets on each route, aimed at objects the rep can see
but does not wholly own (the rep's account carrying the manager's deal, the rep's deal
carrying the manager's note, a workspace-wide source). A route the app serves that is
missing from ``MATRIX`` fails the test, so no new route skips it. Each request runs on a
fresh workspace, so a deletion by one role does not change what the next one meets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts import auth
from dealscout.accounts.models import Account, AuditEvent
from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.core.db import utcnow
from dealscout.deals import service as deals
from dealscout.deals.models import Deal, Note, Review
from dealscout.deals.schemas import DealCreate
from dealscout.ingestion.models import Source
from tests.queue.world import PROFILE, add_signal
from tests.support.factories import (
    Member,
    create_account,
    create_member,
    create_workspace,
    open_session,
)
from tests.support.httpserver import LoopbackServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROLES = ("rep", "manager", "admin")
_numbers = itertools.count()


@dataclass
class Ctx:
    """One workspace's people and objects, and what the paths' ``{…_id}`` stand for."""

    members: dict[str, Member]
    ids: dict[str, int]
    account_name: str
    feed_url: str
    number: int = field(default_factory=lambda: next(_numbers))


Body = Callable[[Ctx], Any]


@dataclass(frozen=True)
class Case:
    rep: int
    manager: int
    admin: int
    json: Body | None = None
    csv: Body | None = None

    def expected(self, role: str) -> int:
        return int(getattr(self, role))


def _future(days: int) -> str:
    return (utcnow().date() + timedelta(days=days)).isoformat()


MATRIX: dict[tuple[str, str], Case] = {
    ("GET", "/v1/accounts"): Case(200, 200, 200),
    ("POST", "/v1/accounts"): Case(
        403, 201, 201, json=lambda c: {"name": f"New {c.number}", "owner_email": "mgr@acme.test"}
    ),
    ("POST", "/v1/accounts/import"): Case(
        403, 200, 200, csv=lambda c: f"name\nImported {c.number}\n"
    ),
    ("GET", "/v1/accounts/{account_id}"): Case(200, 200, 200),
    ("PATCH", "/v1/accounts/{account_id}"): Case(200, 200, 200, json=lambda c: {"industry": "x"}),
    ("DELETE", "/v1/accounts/{account_id}"): Case(403, 204, 204),
    ("GET", "/v1/me"): Case(200, 200, 200),
    ("GET", "/v1/users"): Case(403, 200, 200),
    ("POST", "/v1/users"): Case(403, 403, 201, json=lambda c: {"email": f"n{c.number}@acme.test"}),
    ("GET", "/v1/users/{user_id}"): Case(403, 200, 200),
    ("PATCH", "/v1/users/{user_id}"): Case(403, 403, 200, json=lambda c: {"name": "Renamed"}),
    ("DELETE", "/v1/users/{user_id}"): Case(403, 403, 204),
    ("POST", "/v1/users/{user_id}/tokens"): Case(403, 403, 201, json=lambda c: {}),
    ("GET", "/v1/tokens"): Case(403, 403, 200),
    ("DELETE", "/v1/tokens/{token_id}"): Case(403, 403, 200),
    ("GET", "/v1/sources"): Case(200, 200, 200),
    ("POST", "/v1/sources"): Case(403, 201, 201, json=lambda c: {"url": c.feed_url}),
    ("GET", "/v1/sources/{source_id}"): Case(200, 200, 200),
    ("PATCH", "/v1/sources/{source_id}"): Case(403, 200, 200, json=lambda c: {"name": "Wire 2"}),
    ("DELETE", "/v1/sources/{source_id}"): Case(403, 204, 204),
    ("POST", "/v1/sources/{source_id}/fetch"): Case(200, 200, 200),
    ("GET", "/v1/accounts/{account_id}/signals"): Case(200, 200, 200),
    ("GET", "/v1/deals"): Case(200, 200, 200),
    ("POST", "/v1/deals"): Case(
        403,
        201,
        201,
        json=lambda c: {
            "name": "D",
            "account_id": c.ids["account_id"],
            "owner_email": "mgr@acme.test",
        },
    ),  # fmt: skip
    ("POST", "/v1/deals/import"): Case(
        403, 200, 200, csv=lambda c: f"deal name,account\nImported,{c.account_name}\n"
    ),
    ("GET", "/v1/deals/{deal_id}"): Case(200, 200, 200),
    ("PATCH", "/v1/deals/{deal_id}"): Case(200, 200, 200, json=lambda c: {"amount": 5}),
    ("DELETE", "/v1/deals/{deal_id}"): Case(403, 204, 204),
    ("POST", "/v1/deals/{deal_id}/notes"): Case(
        201, 201, 201, json=lambda c: {"text": "Met the CFO; budget is confirmed for Q3."}
    ),
    ("GET", "/v1/reviews"): Case(403, 200, 200),
    ("GET", "/v1/reviews/disagreement"): Case(403, 200, 200),
    ("POST", "/v1/reviews/{review_id}"): Case(403, 200, 200, json=lambda c: {"status": "approved"}),
    ("GET", "/v1/pipeline/audit"): Case(403, 200, 200),
    ("GET", "/v1/accounts/{account_id}/brief"): Case(200, 200, 200),
    ("GET", "/v1/workspace/profile"): Case(200, 200, 200),
    ("PUT", "/v1/workspace/profile"): Case(403, 200, 200, json=lambda c: PROFILE),
    ("GET", "/v1/queue"): Case(200, 200, 200),
    ("POST", "/v1/queue/{account_id}/snooze"): Case(
        200, 200, 200, json=lambda c: {"until": _future(7)}
    ),
    ("POST", "/v1/queue/{account_id}/contacted"): Case(200, 200, 200),
    ("POST", "/v1/signals/{signal_id}/dismiss"): Case(200, 200, 200),
}


def build_ctx(session: Session, feed_url: str) -> Ctx:
    """A workspace where the rep's account carries the manager's deal, and the rep's deal
    the manager's note (with its pending review); plus a workspace-wide source."""
    number = next(_numbers)
    workspace = create_workspace(session, f"acme-{number}")
    members = {
        key: create_member(session, workspace, f"{email}@acme.test", role)
        for key, email, role in (
            ("admin", "admin", "admin"),
            ("manager", "mgr", "manager"),
            ("rep", "rep", "rep"),
            ("rep2", "rep2", "rep"),
        )  # fmt: skip
    }
    account = create_account(session, members["rep"], f"Fennick Labs {number}")
    deals.create_deal(session, members["manager"].user,
                      DealCreate(name="Manager's deal", account_id=account.id))  # fmt: skip
    rep_deal = deals.create_deal(
        session, members["rep"].user, DealCreate(name="Rep's deal", account_id=account.id)
    )
    _, record = deals.add_note(
        session, members["manager"].user, rep_deal.id, "Spoke with their CFO about budget."
    )
    review = session.scalar(select(Review).where(Review.report_id == record.id))
    wide = Source(workspace_id=workspace.id, account_id=None, url=feed_url, name="Wire")
    session.add(wide)
    signal = add_signal(session, account, "funding", days_ago=1)
    token, _ = auth.issue_token(session, members["rep2"].user)
    session.commit()
    assert review is not None
    ids = {
        "account_id": account.id,
        "deal_id": rep_deal.id,
        "source_id": wide.id,
        "user_id": members["rep2"].user.id,
        "token_id": token.id,
        "review_id": review.id,
        "signal_id": signal.id,
    }
    return Ctx(members, ids, account.name, feed_url, number)


@pytest.fixture
def world(any_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    settings = get_settings()
    session = open_session(settings)
    with LoopbackServer() as server:
        server.file("/wire.xml", FIXTURES / "ingest" / "wire_a.xml",
                    content_type="application/rss+xml")  # fmt: skip
        feed_url = server.url("/wire.xml")
        yield {
            "client": TestClient(create_app(settings)),
            "session": session,
            "ctx": lambda: build_ctx(session, feed_url),
        }
    session.close()


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/v1/")
        for method in operations
    }


def _send(client: TestClient, role: str, method: str, path: str, case: Case, ctx: Ctx) -> int:
    url = path.format(**ctx.ids)
    kwargs: dict[str, Any] = {"headers": ctx.members[role].headers}
    if case.json is not None:
        kwargs["json"] = case.json(ctx)
    if case.csv is not None:
        kwargs["files"] = {"file": ("x.csv", case.csv(ctx).encode(), "text/csv")}
    return client.request(method, url, **kwargs).status_code


def test_every_route_answers_each_role_as_the_matrix_says(world: dict) -> None:
    client = world["client"]
    assert app_routes(client) == set(MATRIX), "a route is missing from MATRIX (or gone)"
    wrong = []
    for (method, path), case in MATRIX.items():
        for role in ROLES:
            status = _send(client, role, method, path, case, world["ctx"]())
            if status != case.expected(role):
                wrong.append(f"{role} {method} {path}: {status}, expected {case.expected(role)}")
    assert wrong == []


def test_deletion_keeps_who_what_when_and_the_cascaded_rows(world: dict) -> None:
    client, session = world["client"], world["session"]
    ctx = world["ctx"]()
    account_id = ctx.ids["account_id"]
    refused = client.delete(f"/v1/accounts/{account_id}", headers=ctx.members["rep"].headers)
    assert refused.status_code == 403 and "manager" in refused.json()["detail"]
    assert session.get(Account, account_id) is not None
    deleted = client.delete(f"/v1/accounts/{account_id}", headers=ctx.members["manager"].headers)
    assert deleted.status_code == 204
    session.expire_all()
    assert session.get(Account, account_id) is None
    assert session.scalars(select(Deal).where(Deal.account_id == account_id)).all() == []
    event = session.scalar(select(AuditEvent).where(AuditEvent.entity_id == account_id))
    assert event is not None and event.action == "delete" and event.entity == "account"
    assert event.actor_id == ctx.members["manager"].user.id
    assert abs((utcnow() - event.at).total_seconds()) < 120
    detail = event.detail
    assert detail["row"]["name"] == ctx.account_name
    assert {d["name"] for d in detail["deals"]} == {"Manager's deal", "Rep's deal"}
    assert len(detail["notes"]) == 1 and len(detail["reviews"]) == 1
    assert session.scalars(select(Note).where(Note.id == detail["notes"][0]["id"])).all() == []


def test_a_rep_deletes_what_is_wholly_theirs_and_it_is_recorded(world: dict) -> None:
    client, session = world["client"], world["session"]
    ctx = world["ctx"]()
    rep = ctx.members["rep"]
    mine = client.post("/v1/accounts", json={"name": f"Mine {ctx.number}"}, headers=rep.headers)
    assert mine.status_code == 201 and mine.json()["owner_id"] == rep.user.id
    assert (
        client.delete(f"/v1/accounts/{mine.json()['id']}", headers=rep.headers).status_code == 204
    )
    event = session.scalar(select(AuditEvent).where(AuditEvent.entity_id == mine.json()["id"]))
    assert event is not None and event.actor_id == rep.user.id


def test_owner_fields_follow_the_role(world: dict) -> None:
    client, ctx = world["client"], world["ctx"]()
    rep, manager = ctx.members["rep"], ctx.members["manager"]
    for_rep = {"name": f"For rep {ctx.number}", "owner_email": "rep@acme.test"}
    made = client.post("/v1/accounts", json=for_rep, headers=manager.headers)
    assert made.status_code == 201 and made.json()["owner_id"] == rep.user.id
    own = {"name": f"Own {ctx.number}", "owner_email": "rep@acme.test"}
    assert (
        client.post("/v1/accounts", json=own, headers=rep.headers).json()["owner_id"] == rep.user.id
    )
    reassign = client.patch(f"/v1/accounts/{made.json()['id']}",
                            json={"owner_email": "mgr@acme.test"}, headers=rep.headers)  # fmt: skip
    assert reassign.status_code == 403


def test_the_last_admin_can_neither_be_demoted_nor_deleted(world: dict) -> None:
    client, ctx = world["client"], world["ctx"]()
    admin = ctx.members["admin"]
    me = f"/v1/users/{admin.user.id}"
    demoted = client.patch(me, json={"role": "manager"}, headers=admin.headers)
    assert demoted.status_code == 409 and "last admin" in demoted.json()["detail"]
    assert client.delete(me, headers=admin.headers).status_code == 409
    second = client.post("/v1/users", json={"email": f"a2-{ctx.number}@acme.test", "role": "admin"},
                         headers=admin.headers)  # fmt: skip
    assert second.status_code == 201
    assert client.patch(me, json={"role": "manager"}, headers=admin.headers).status_code == 200
