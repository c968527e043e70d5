"""``GET /v1/accounts/{id}/brief`` in JSON, Markdown and HTML; hostile content stays inert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.auth import revoke_token
from dealscout.accounts.models import ApiToken
from dealscout.api.main import create_app
from dealscout.briefs.cache import served_as_is
from dealscout.briefs.schemas import Brief
from dealscout.core.config import get_settings
from dealscout.core.db import get_engine, utcnow
from dealscout.deals.models import Deal
from dealscout.ingestion import service as ingestion
from dealscout.ingestion.models import Signal, SignalAccount
from tests.fixtures.briefs.world import DemoWorld, build_demo
from tests.support.factories import create_member, create_workspace, open_session

CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD_TITLE = '"><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE_RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile &lt;script&gt;alert(1)&lt;/script&gt;</title>
<item><title>Halvard Freight expands &lt;script&gt;window.__pwned = 3&lt;/script&gt; to Oslo</title>
<link>https://www.halvardfreight.example/news/oslo</link>
<description>&lt;img src=x onerror="window.__pwned = 4"&gt; Halvard Freight opened an
office in Oslo. &lt;a href="javascript:window.__pwned = 5"&gt;more&lt;/a&gt;</description>
</item></channel></rss>"""


@pytest.fixture
def api(any_db: str) -> Iterator[tuple[TestClient, Session, DemoWorld]]:
    settings = get_settings()
    session = open_session(settings)
    world = build_demo(session)
    yield TestClient(create_app(settings)), session, world
    session.close()


def _manager(world: DemoWorld):  # type: ignore[no-untyped-def]
    return next(m for m in world.members.values() if m.user.role == "manager")


def _add_hostile_content(session: Session, world: DemoWorld) -> int:
    """One item through the ingestion pipeline and one row written as a buggy parser might."""
    account = world.accounts["Halvard Freight"]
    source = ingestion.source_for(session, world.workspace.id, "demo:hostile", account.id)
    ingestion.ingest_bytes(session, source, HOSTILE_RSS, "application/rss+xml", None)
    now = utcnow()
    raw = Signal(
        workspace_id=world.workspace.id, title=PAYLOAD_TITLE, summary=PAYLOAD_TITLE,
        url="javascript:window.__pwned=6", source_name='<svg onload="window.__pwned=7">',
        published_at=now, first_seen_at=now, type="funding", confidence=1.0,
        facts={"person": "<b onmouseover=alert(1)>Eve</b>", "title": "CFO"},
    )  # fmt: skip
    session.add(raw)
    session.flush()
    session.add(
        SignalAccount(workspace_id=world.workspace.id, signal_id=raw.id, account_id=account.id)
    )
    session.commit()
    return account.id


def test_json_brief_has_the_contract_shape(api) -> None:
    client, _, world = api
    account = world.accounts["Halvard Freight"]
    response = client.get(f"/v1/accounts/{account.id}/brief", headers=_manager(world).headers)
    assert response.status_code == 200
    body = response.json()
    assert {"account", "generated_at", "engine", "sections", "signals"} <= set(body)
    assert body["account"] == "Halvard Freight" and body["engine"] == "rules"
    ids = {s["id"] for s in body["signals"]}
    for section in body["sections"]:
        assert {"title", "items"} <= set(section)
        for item in section["items"]:
            assert set(item["citations"]) <= ids
    for signal in body["signals"]:
        assert {"id", "type", "title", "url", "published_at", "first_seen_at", "source"} <= set(
            signal
        )


def test_cached_json_is_served_as_stored_with_an_etag(api) -> None:
    client, session, world = api
    account = world.accounts["Halvard Freight"]
    member = _manager(world)
    path = f"/v1/accounts/{account.id}/brief"
    first = client.get(path, headers=member.headers)
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == member.user.id))
    session.refresh(token)
    used_at = token.last_used_at
    second = client.get(path, headers=member.headers)
    etag = first.headers["etag"]
    assert second.status_code == 200 and second.headers["etag"] == etag
    assert second.content == first.content  # the stored bytes, as generated
    assert json.loads(first.content) == Brief.model_validate_json(first.content).model_dump(
        mode="json"
    )
    unchanged = client.get(path, headers={**member.headers, "If-None-Match": f"W/{etag}"})
    assert unchanged.status_code == 304 and unchanged.content == b""
    other = client.get(path, headers={**member.headers, "If-None-Match": '"elsewhere"'})
    assert other.status_code == 200 and other.content == first.content
    session.refresh(token)
    assert token.last_used_at == used_at  # reads within a minute write nothing

    deal = session.scalar(select(Deal).where(Deal.account_id == account.id))
    deal.name += " (renamed)"
    session.commit()
    moved = client.get(path, headers={**member.headers, "If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag


def test_the_session_free_read_serves_only_what_the_full_read_would(api) -> None:
    client, session, world = api
    account = world.accounts["Halvard Freight"]
    ravi = world.members["ravi.okafor@ledgerline.example"]
    jonas = world.members["jonas.berg@ledgerline.example"]
    path = f"/v1/accounts/{account.id}/brief"
    settings = get_settings()

    def fast(member, account_id: int = account.id):  # type: ignore[no-untyped-def]
        with get_engine(settings.sqlalchemy_url).connect() as connection:
            return served_as_is(connection, settings, member.token, account_id, utcnow())

    assert fast(ravi) is None  # nothing cached, last use not recorded yet
    first = client.get(path, headers=ravi.headers)
    served = fast(ravi)
    assert served is not None and served.body == first.content
    assert client.get(path, headers=ravi.headers).content == first.content
    assert fast(jonas) is None and client.get(path, headers=jonas.headers).status_code == 404

    token = session.scalar(select(ApiToken).where(ApiToken.user_id == ravi.user.id))
    revoke_token(session, ravi.user.workspace_id, token.id)
    session.commit()
    assert fast(ravi) is None
    assert client.get(path, headers=ravi.headers).status_code == 401


def test_markdown_and_html_formats(api) -> None:
    client, _, world = api
    account = world.accounts["Halvard Freight"]
    headers = _manager(world).headers
    md = client.get(f"/v1/accounts/{account.id}/brief?format=md", headers=headers)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# Brief: Halvard Freight") and "## Why now" in md.text
    page = client.get(f"/v1/accounts/{account.id}/brief?format=html", headers=headers)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<h2>Open deal</h2>" in page.text and "As of " in page.text
    bad = client.get(f"/v1/accounts/{account.id}/brief?format=pdf", headers=headers)
    assert bad.status_code == 422


def test_brief_visibility_follows_account_visibility(api) -> None:
    client, session, world = api
    halvard = world.accounts["Halvard Freight"]  # owned by ravi
    jonas = world.members["jonas.berg@ledgerline.example"]
    ravi = world.members["ravi.okafor@ledgerline.example"]
    path = f"/v1/accounts/{halvard.id}/brief"
    assert client.get(path, headers=ravi.headers).status_code == 200
    assert client.get(path, headers=jonas.headers).status_code == 404
    outsider = create_member(
        session, create_workspace(session, "elsewhere"), "x@else.test", "admin"
    )
    assert client.get(path, headers=outsider.headers).status_code == 404
    assert client.get(path).status_code == 401
    assert client.get("/v1/accounts/999999/brief", headers=ravi.headers).status_code == 404


def _assert_inert(page_html: str) -> None:
    tree = lxml_html.fromstring(page_html)
    assert tree.xpath("//script") == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src"):
                assert not value.lower().startswith(("javascript:", "data:")), value
    assert tree.xpath("//img | //svg | //iframe | //object") == []


def test_hostile_content_is_escaped_in_html_and_markdown(api) -> None:
    client, session, world = api
    account_id = _add_hostile_content(session, world)
    headers = _manager(world).headers
    page = client.get(f"/v1/accounts/{account_id}/brief?format=html", headers=headers).text
    _assert_inert(page)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page  # shown as text
    assert 'href="javascript' not in page
    md = client.get(f"/v1/accounts/{account_id}/brief?format=md", headers=headers).text
    assert "<script" not in md and "<img" not in md and "](javascript" not in md


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium not installed (/usr/bin/chromium)"
)
def test_hostile_content_runs_no_script_in_a_real_browser(api) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    client, session, world = api
    account_id = _add_hostile_content(session, world)
    response = client.get(
        f"/v1/accounts/{account_id}/brief?format=html", headers=_manager(world).headers
    )
    served = response.text
    without_csp = "\n".join(
        line for line in served.splitlines() if "Content-Security-Policy" not in line
    )
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for document in (served, without_csp):  # escaping alone must make it inert
                page.set_content(document, wait_until="load")
                page.wait_for_timeout(200)
                assert page.evaluate("typeof window.__pwned") == "undefined"
                assert page.locator("script").count() == 0
                assert "window.__pwned = 1" in page.inner_text("body")
            for link in page.locator("a[href]").all():
                assert link.get_attribute("href").startswith(("http://", "https://", "#"))
            assert dialogs == []
        finally:
            browser.close()
