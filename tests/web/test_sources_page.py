"""The admin's sources page over HTTP: adding a source checks its URL at once, errors are
shown in the page, and pausing toggles the source."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from dealscout.ingestion.models import Source
from tests.support.factories import Member, create_member, create_workspace, open_session


@pytest.fixture
def admin(clean_env: object) -> Iterator[tuple[TestClient, str]]:
    session = open_session(get_settings())
    member: Member = create_member(
        session, create_workspace(session, "acme"), "a@acme.test", "admin"
    )
    session.close()
    client = TestClient(create_app(get_settings()), follow_redirects=False)
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    client.post("/signin", data={"token": member.token, "csrf_token": csrf.group(1)})
    page = client.get("/sources")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    yield client, token.group(1)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/feed.xml", "not a public address"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata address"),
        ("http://2130706433/feed", "non-canonical numeric IPv4"),
        ("ftp://example.com/feed", "must be an http or https URL"),
    ],
)
def test_unsafe_urls_are_refused_when_added(
    admin: tuple[TestClient, str], url: str, reason: str
) -> None:
    client, csrf = admin
    response = client.post("/sources", data={"url": url, "csrf_token": csrf})
    assert response.status_code == 422 and reason in response.text
    assert "<h1>That did not work</h1>" in response.text  # a page, not JSON or a traceback
    session = open_session(get_settings())
    assert session.query(Source).count() == 0
    session.close()


def test_a_public_source_is_added_and_paused(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    added = client.post(
        "/sources",
        data={"url": "https://news.example.com/rss", "name": "Example News", "csrf_token": csrf},
    )
    assert added.status_code == 303
    assert "Example News" in client.get("/sources").text
    session = open_session(get_settings())
    source_id = session.query(Source).one().id
    session.close()
    paused = client.post(f"/sources/{source_id}/pause", data={"csrf_token": csrf})
    assert paused.status_code == 303
    assert "Paused" in client.get("/sources").text
