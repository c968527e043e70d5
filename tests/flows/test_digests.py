"""Digests end to end: a real SMTP server (aiosmtpd) and a real webhook receiver on
loopback; escaping, opt-in, idempotent scheduling, retries and the delivery record."""

from __future__ import annotations

import email
import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.core.config import get_settings
from dealscout.core.db import utcnow
from dealscout.deals import service as deals
from dealscout.deals.schemas import DealCreate
from dealscout.flows import digests
from dealscout.flows.digests import SubscriptionUpdate
from dealscout.flows.models import DigestDelivery
from tests.support.factories import create_account, create_member, create_workspace, open_session
from tests.support.webhook import WebhookReceiver

HOSTILE_DEAL = "Renewal <script>alert(1)</script> & co"
HOSTILE_ACCOUNT = "Acme <b>&</b> Sons"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("DEALSCOUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DEALSCOUT_SMTP_PORT", str(port))
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    yield inbox
    controller.stop()


@pytest.fixture
def world(smtp: _Inbox) -> Iterator[dict[str, Any]]:
    settings = get_settings()
    session = open_session(settings)
    ws = create_workspace(session, "acme")
    rep = create_member(session, ws, "rep@acme.test", "rep")
    quiet = create_member(session, ws, "quiet@acme.test", "rep")
    manager = create_member(session, ws, "mgr@acme.test", "manager")
    account = create_account(session, rep, HOSTILE_ACCOUNT, owner_email="rep@acme.test")
    today = utcnow().date()
    for owner in (rep, quiet):
        deals.create_deal(session, manager.user, DealCreate(
            name=f"{HOSTILE_DEAL} {owner.user.email}", account_id=account.id, stage="propose",
            owner_email=owner.user.email,
            amount=50_000, proposal_sent_on=today - timedelta(days=12),
            last_buyer_activity=today - timedelta(days=20),
        ))  # fmt: skip
    session.commit()
    yield {"session": session, "settings": settings, "rep": rep, "quiet": quiet,
           "manager": manager, "inbox": smtp}  # fmt: skip
    session.close()


def _parts(message: Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for part in message.walk()
        if not part.is_multipart()
    }


def test_digest_arrives_by_email_and_webhook_escaped_and_only_for_opted_in(world: dict) -> None:
    session, settings, rep = world["session"], world["settings"], world["rep"]
    with WebhookReceiver() as hook:
        digests.subscribe(session, settings, rep.user, SubscriptionUpdate(webhook_url=hook.url))
        digests.subscribe(session, settings, world["quiet"].user)
        digests.unsubscribe(session, world["quiet"].user)  # opted out again
        assert digests.schedule_digests(session, "daily") == 2
        assert digests.schedule_digests(session, "daily") == 0  # beat fired twice: no repeat
        report = digests.deliver_due(session, settings)
        assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
        assert len(hook.payloads) == 1
        payload = hook.payloads[0]

    inbox = world["inbox"].messages
    assert [m["To"] for m in inbox] == ["rep@acme.test"]  # the opted-out rep got nothing
    parts = _parts(inbox[0])
    assert "Deals due for follow-up" in parts["text/plain"]
    assert f"{HOSTILE_DEAL} rep@acme.test (propose)" in parts["text/plain"]
    assert "quiet@acme.test" not in parts["text/plain"]  # another rep's deal is not listed
    html = parts["text/html"]
    assert "Renewal &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html
    slack = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert "Renewal &lt;script&gt;alert(1)&lt;/script&gt; &amp; co rep@acme.test" in slack
    assert "<script>" not in slack
    assert "send a short follow-up that asks one specific question" in slack  # the rule fired
    assert "send a short follow-up that asks one specific question" in parts["text/plain"]

    rows = session.scalars(select(DigestDelivery).order_by(DigestDelivery.id)).all()
    assert {(r.channel, r.status, r.attempts) for r in rows} == {
        ("email", "sent", 1),
        ("webhook", "sent", 1),
    }
    assert {r.user_id for r in rows} == {rep.user.id}


def test_failed_delivery_is_retried_logged_and_never_lost(
    world: dict, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, settings, rep = world["session"], world["settings"], world["rep"]
    now = utcnow()
    with WebhookReceiver(fail_first=1) as hook, caplog.at_level(logging.WARNING):
        digests.subscribe(
            session, settings, rep.user, SubscriptionUpdate(email=False, webhook_url=hook.url)
        )
        digests.schedule_digests(session, "daily", now=now)
        first = digests.deliver_due(session, settings, now=now)
        assert (first.sent, first.retrying) == (0, 1)
        row = session.scalars(select(DigestDelivery)).one()
        assert row.status == "retrying" and "HTTP 500" in (row.last_error or "")
        assert any(
            "retrying" in r.getMessage() and "HTTP 500" in r.getMessage() for r in caplog.records
        )
        assert digests.deliver_due(session, settings, now=now).sent == 0  # not before backoff
        later = digests.deliver_due(session, settings, now=now + timedelta(minutes=2))
        assert later.sent == 1 and hook.attempts == 2 and len(hook.payloads) == 1
    session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)

    # email to an SMTP server that is not there: every attempt logged, then marked failed
    monkeypatch.setenv("DEALSCOUT_SMTP_PORT", str(_free_port()))
    monkeypatch.setenv("DEALSCOUT_DIGEST_ATTEMPTS", "2")
    get_settings.cache_clear()
    settings = get_settings()
    manager = world["manager"].user
    digests.subscribe(session, settings, manager)
    digests.schedule_digests(session, "weekly", now=now)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert digests.deliver_due(session, settings, now=now).retrying == 1
        assert digests.deliver_due(session, settings, now=now + timedelta(minutes=1)).failed == 1
    failed = session.scalars(
        select(DigestDelivery).where(DigestDelivery.user_id == manager.id)
    ).one()
    assert (
        failed.status == "failed" and failed.attempts == 2 and "SMTP" in (failed.last_error or "")
    )
    assert [r.levelname for r in caplog.records if "mgr@acme.test" in r.getMessage()] == [
        "WARNING",
        "ERROR",
    ]
    assert world["inbox"].messages == []


def test_weekly_digest_for_a_manager_holds_reviews_stalled_deals_and_the_headline(
    world: dict,
) -> None:
    digest = digests.build_digest(world["session"], world["manager"].user)
    assert digest.kind == "weekly"
    assert [s.id for s in digest.sections] == ["reviews", "stalled", "headline"]
    assert any(i.text.startswith("Win rate") for i in digest.sections[2].items)


def test_unsafe_webhook_url_is_refused(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEALSCOUT_ALLOW_PRIVATE_URLS")
    get_settings.cache_clear()
    with pytest.raises(Exception, match="not a public address"):
        digests.subscribe(world["session"], get_settings(), world["rep"].user,
                          SubscriptionUpdate(webhook_url="http://127.0.0.1:9/hook"))  # fmt: skip


def test_cli_previews_the_digest_as_text_and_json(world: dict) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["digest", "--user", "rep@acme.test", "--workspace", "acme"])
    assert result.exit_code == 0, result.output
    assert "dealscout daily digest" in result.output and HOSTILE_DEAL in result.output
    result = runner.invoke(
        app, ["digest", "--user", "rep@acme.test", "--workspace", "acme", "--json"]
    )
    assert result.exit_code == 0, result.output
    import json

    parts = json.loads(result.output)
    assert [s["id"] for s in parts["sections"]] == ["queue", "follow_ups", "briefs"]
    result = runner.invoke(app, ["digest", "--user", "nobody@acme.test", "--workspace", "acme"])
    assert result.exit_code == 2 and "unknown user" in result.output
