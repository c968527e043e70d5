"""Signing in and out of the pages over HTTP: cookie flags, CSRF on the sign-in form, safe
redirects, and sessions that end with their token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from dealscout.accounts import auth
from dealscout.api.main import create_app
from dealscout.core.config import get_settings
from tests.support.factories import Member, create_member, create_workspace, open_session


@pytest.fixture
def rep(clean_env: object) -> Iterator[tuple[Member, Session]]:
    session = open_session(get_settings())
    member = create_member(session, create_workspace(session, "acme"), "rep@acme.test", "rep")
    yield member, session
    session.close()


def _client(https: bool = False) -> TestClient:
    base = "https://testserver" if https else "http://testserver"
    return TestClient(create_app(get_settings()), base_url=base, follow_redirects=False)


def _sign_in(client: TestClient, token: str, next_path: str = "/") -> Response:
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    data = {"token": token, "csrf_token": csrf.group(1), "next": next_path}
    return client.post("/signin", data=data)


def test_sign_in_sets_a_strict_cookie_and_pages_need_it(rep: tuple[Member, Session]) -> None:
    member, _ = rep
    client = _client()
    assert client.get("/queue").headers["location"] == "/signin?next=/queue"
    response = _sign_in(client, member.token, "/queue")
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = next(c for c in response.headers.get_list("set-cookie") if "ds_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = client.get("/queue")
    assert page.status_code == 200 and "Your queue" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]

    secure = _sign_in(_client(https=True), member.token)
    cookie = next(c for c in secure.headers.get_list("set-cookie") if "ds_session=" in c)
    assert "Secure" in cookie


def test_bad_tokens_and_forged_forms_are_refused_in_a_page(rep: tuple[Member, Session]) -> None:
    member, _ = rep
    client = _client()
    wrong = _sign_in(client, "ds_" + "x" * 40)
    assert wrong.status_code == 401 and "unknown or revoked token" in wrong.text
    assert "ds_session" not in client.cookies
    no_csrf = client.post("/signin", data={"token": member.token})
    assert no_csrf.status_code == 403 and "security token" in no_csrf.text
    assert _sign_in(client, member.token, "//evil.example/x").headers["location"] == "/"
    assert _sign_in(client, member.token, "https://evil.example").headers["location"] == "/"


def test_sign_out_and_revoking_the_token_end_the_session(rep: tuple[Member, Session]) -> None:
    member, session = rep
    client = _client()
    _sign_in(client, member.token)
    cookie = client.cookies["ds_session"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/queue").text)
    assert csrf is not None
    assert client.post("/signout", data={"csrf_token": csrf.group(1)}).status_code == 303
    client.cookies.set("ds_session", cookie)
    assert client.get("/queue").status_code == 303  # the old cookie is dead

    _sign_in(client, member.token)
    assert client.get("/queue").status_code == 200
    token_id = auth.list_tokens(session, member.user.workspace_id)[0].id
    auth.revoke_token(session, member.user.workspace_id, token_id)
    session.commit()
    assert client.get("/queue").headers["location"].startswith("/signin")
