"""Deals, coached notes, manager review and the pipeline audit through the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.support.factories import create_account, create_member, create_workspace, open_session

GOOD_NOTE = (
    "Call with Piotr Nowak (AP Lead) and Ingrid Solberg (CFO).\n"
    "Piotr said his team of 6 keys in 4,000 invoices a month by hand.\n"
    "Ingrid confirmed budget of EUR 150k is approved for next year and she signs the contract.\n"
    "They need a decision before their fiscal year starts in April.\n"
    "Agreed next step: demo on Tuesday 14th at 10:00."
)
RISKY_NOTE = "Sent the proposal to Helen.\nHelen said no budget this year; everything is on hold."


@pytest.fixture
def world(any_db: str) -> Iterator[dict]:
    settings = get_settings()
    session = open_session(settings)
    acme, other = create_workspace(session, "acme"), create_workspace(session, "other")
    members = {
        "rep": create_member(session, acme, "rep@acme.test", "rep"),
        "rep2": create_member(session, acme, "rep2@acme.test", "rep"),
        "manager": create_member(session, acme, "mgr@acme.test", "manager"),
        "outsider": create_member(session, other, "boss@other.test", "manager"),
    }
    account = create_account(session, members["rep"], "Halvard Freight")
    yield {"client": TestClient(create_app(settings)), "members": members, "account": account}
    session.close()


def _deal(world: dict, stage: str = "qualify", **extra: object) -> int:
    body = {"name": f"Deal {stage}", "account_id": world["account"].id, "stage": stage, **extra}
    response = world["client"].post("/v1/deals", json=body, headers=world["members"]["rep"].headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_note_is_coached_stored_and_accumulated(world: dict) -> None:
    client, rep = world["client"], world["members"]["rep"]
    deal_id = _deal(world, amount=120000)
    response = client.post(
        f"/v1/deals/{deal_id}/notes", json={"text": GOOD_NOTE}, headers=rep.headers
    )
    assert response.status_code == 201, response.text
    detail = response.json()
    report = detail["notes"][0]["report"]
    assert report["engine"] == "rules" and report["process"]["name"]
    states = {c["id"]: c["status"] for c in detail["criteria"]}
    assert states["budget"] == "met" and states["next_step"] == "met"
    for criterion in report["criteria"]:
        evidence = criterion["evidence"]
        quotes = evidence if isinstance(evidence, list) else [evidence] if evidence else []
        assert all(q in GOOD_NOTE for q in quotes)
    later = client.post(
        f"/v1/deals/{deal_id}/notes", json={"text": RISKY_NOTE}, headers=rep.headers
    )
    assert {c["id"]: c["status"] for c in later.json()["criteria"]}["budget"] == "contradicted"
    assert (
        client.get(f"/v1/deals/{deal_id}", headers=rep.headers).json()["deal"]["amount"] == 120000
    )


def test_bad_notes_and_stages_are_4xx(world: dict) -> None:
    client, rep = world["client"], world["members"]["rep"]
    deal_id = _deal(world)
    assert (
        client.post(
            f"/v1/deals/{deal_id}/notes", json={"text": "   "}, headers=rep.headers
        ).status_code
        == 422
    )
    huge = "word " * 220_000
    too_big = client.post(f"/v1/deals/{deal_id}/notes", json={"text": huge}, headers=rep.headers)
    assert too_big.status_code == 422 and "limit" in too_big.json()["detail"].lower()
    wrong_stage = client.post(
        "/v1/deals",
        json={"name": "x", "account_id": world["account"].id, "stage": "dreaming"},
        headers=rep.headers,
    )
    assert wrong_stage.status_code == 422 and "qualify" in wrong_stage.json()["detail"]


def test_manager_reviews_riskiest_first_with_overrides(world: dict) -> None:
    client, members = world["client"], world["members"]
    rep, manager = members["rep"], members["manager"]
    good = _deal(world, stage="qualify")
    risky = _deal(world, stage="propose", close_date="2020-01-01")
    client.post(f"/v1/deals/{good}/notes", json={"text": GOOD_NOTE}, headers=rep.headers)
    client.post(f"/v1/deals/{risky}/notes", json={"text": RISKY_NOTE}, headers=rep.headers)

    assert client.get("/v1/reviews", headers=rep.headers).status_code == 403
    pending = client.get(
        "/v1/reviews", params={"status": "pending"}, headers=manager.headers
    ).json()
    assert [r["deal_id"] for r in pending][0] == risky
    review_id = pending[-1]["id"]
    body = {"status": "needs_work", "comment": "Budget is the CFO's hope, not a commitment.",
            "overrides": [{"criterion": "budget", "status": "missing"}]}  # fmt: skip
    reviewed = client.post(f"/v1/reviews/{review_id}", json=body, headers=manager.headers)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["overrides"] == [{"criterion": "budget", "status": "missing"}]

    seen_by_rep = client.get(f"/v1/deals/{good}", headers=rep.headers).json()
    assert {c["id"]: c["status"] for c in seen_by_rep["criteria"]}["budget"] == "missing"
    assert seen_by_rep["notes"][0]["review"]["comment"].startswith("Budget")
    rates = client.get("/v1/reviews/disagreement", headers=manager.headers).json()
    assert rates == [{"criterion": "budget", "overrides": 1, "reviews": 1, "rate": 1.0}]
    assert len(client.get("/v1/reviews", headers=manager.headers).json()) == 1


def test_deals_are_private_to_owner_team_and_workspace(world: dict) -> None:
    client, members = world["client"], world["members"]
    deal_id = _deal(world)
    assert client.get(f"/v1/deals/{deal_id}", headers=members["rep2"].headers).status_code == 404
    assert client.get(f"/v1/deals/{deal_id}", headers=members["manager"].headers).status_code == 200
    outsider = members["outsider"].headers
    assert client.get(f"/v1/deals/{deal_id}", headers=outsider).status_code == 404
    assert (
        client.post(
            f"/v1/deals/{deal_id}/notes", json={"text": GOOD_NOTE}, headers=outsider
        ).status_code
        == 404
    )
    assert client.get("/v1/reviews", headers=outsider).json() == []


def test_deal_csv_import_and_pipeline_audit(world: dict) -> None:
    client, manager, rep = world["client"], world["members"]["manager"], world["members"]["rep"]
    csv_text = (
        "Deal Name,Account Name,Stage,Amount,Close Date,Owner Email\n"
        "Imported A,Halvard Freight,discover,50000,2027-03-01,rep@acme.test\n"
        "Imported B,Halvard Freight,negotiate,80000,2027-02-01,rep@acme.test\n"
    )
    files = {"file": ("deals.csv", csv_text, "text/csv")}
    imported = client.post("/v1/deals/import", files=files, headers=manager.headers)
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 2
    bad = {"file": ("deals.csv", "Deal Name,Account Name\nX,Nobody Inc\n", "text/csv")}
    refused = client.post("/v1/deals/import", files=bad, headers=manager.headers)
    assert refused.status_code == 422 and "row 2" in refused.json()["detail"]

    deal_id = next(
        d["id"]
        for d in client.get("/v1/deals", headers=rep.headers).json()
        if d["name"] == "Imported B"
    )
    client.post(f"/v1/deals/{deal_id}/notes", json={"text": RISKY_NOTE}, headers=rep.headers)
    audit = client.get("/v1/pipeline/audit", headers=manager.headers)
    assert audit.status_code == 200, audit.text
    body = audit.json()
    assert body["total_value"] >= body["supported_value"]
    flagged = [d["deal_id"] for stage in body["stages"] for d in stage["unsupported"]]
    assert deal_id in flagged


@pytest.mark.parametrize(
    "reply",
    [
        Reply(content="{not json"),
        Reply(status=429),
        Reply(content="{}", delay=3.0),
        Reply(content='{"criteria": [{"id": "budget", "status": "met", "evidence": "made up"}]}'),
    ],
)
def test_llm_trouble_never_fails_the_request(
    world: dict, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, reply: Reply
) -> None:
    for name, value in {
        "OPENAI_BASE_URL": fake_openai.base_url,
        "OPENAI_API_KEY": "test",
        "DEALSCOUT_LLM_TIMEOUT": "1",
        "DEALSCOUT_LLM_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    client = TestClient(create_app(get_settings()))
    fake_openai.script(reply)
    deal_id = _deal(world)
    rep = world["members"]["rep"]
    response = client.post(
        f"/v1/deals/{deal_id}/notes", json={"text": RISKY_NOTE}, headers=rep.headers
    )
    assert response.status_code == 201, response.text
    report = response.json()["notes"][0]["report"]
    assert report["engine"] == "rules"
    assert {c["id"]: c["status"] for c in report["criteria"]}["budget"] == "contradicted"
    assert len(fake_openai.requests) == 1


def test_follow_up_rules_fire_from_the_deal_dates(world: dict) -> None:
    client, rep = world["client"], world["members"]["rep"]
    today = date.today()
    quiet = _deal(
        world,
        stage="propose",
        proposal_sent_on=str(today - timedelta(days=16)),
        last_buyer_activity=str(today - timedelta(days=40)),
    )
    actions = {
        f["action"]
        for f in client.get(f"/v1/deals/{quiet}", headers=rep.headers).json()["follow_ups"]
    }
    assert actions == {"follow_up_task", "re_engagement", "archive_suggestion"}
    fresh = _deal(world, stage="qualify", last_buyer_activity=str(today))
    assert client.get(f"/v1/deals/{fresh}", headers=rep.headers).json()["follow_ups"] == []


def test_a_manager_override_reaches_the_brief(world: dict) -> None:
    client, rep, manager = world["client"], world["members"]["rep"], world["members"]["manager"]
    deal_id = _deal(world, stage="qualify")
    client.post(f"/v1/deals/{deal_id}/notes", json={"text": GOOD_NOTE}, headers=rep.headers)
    brief_url = f"/v1/accounts/{world['account'].id}/brief"

    def missing_line() -> str:
        sections = client.get(brief_url, headers=rep.headers).json()["sections"]
        items = next(s["items"] for s in sections if s["title"] == "Open deal")
        return next(i["text"] for i in items if i["text"].startswith("Missing exit criteria"))

    assert "budget" not in missing_line()
    review_id = client.get("/v1/reviews", headers=manager.headers).json()[0]["id"]
    body = {"status": "needs_work", "overrides": [{"criterion": "budget", "status": "missing"}]}
    client.post(f"/v1/reviews/{review_id}", json=body, headers=manager.headers)
    assert "budget" in missing_line()
