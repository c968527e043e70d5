"""Browser sessions and CSRF for the pages.

Signing in trades an API token for a cookie (HttpOnly, SameSite=Lax, Secure over https)
that names a server-side session; every form carries that session's CSRF token. The sign-in
form itself, before any session exists, uses a double-submit cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from dealscout.accounts import sessions
from dealscout.accounts.auth import Unauthorized
from dealscout.accounts.models import User, WebSession
from dealscout.accounts.service import require_role
from dealscout.core.errors import Forbidden
from dealscout.core.http import SessionDep

SESSION_COOKIE = "ds_session"
SIGNIN_COOKIE = "ds_signin"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_REFUSED = "This form's security token is missing or out of date: reload the page."


class SignInRequired(Exception):
    """No live session: the page answers with a redirect to the sign-in page."""


@dataclass(frozen=True)
class Nav:
    """What the page header needs, copied out of the session so that an error page, drawn
    after the request's database work was rolled back, can still show it."""

    label: str
    role: str
    csrf: str

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Viewer:
    user: User
    web: WebSession

    @property
    def csrf(self) -> str:
        return self.web.csrf_token

    @property
    def is_manager(self) -> bool:
        return self.user.role in ("manager", "admin")

    @property
    def nav(self) -> Nav:
        return Nav(self.user.name or self.user.email, self.user.role, self.csrf)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        raise SignInRequired
    try:
        user, web = sessions.session_user(session, raw)
    except Unauthorized:
        raise SignInRequired from None
    viewer = Viewer(user, web)
    request.state.nav = viewer.nav
    return viewer


async def presented_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def get_form_viewer(request: Request, session: SessionDep) -> Viewer:
    """The viewer of a state-changing request, whose CSRF token must match the session's."""
    viewer = get_viewer(request, session)
    if not sessions.csrf_ok(viewer.web, await presented_csrf(request)):
        raise Forbidden(CSRF_REFUSED)
    return viewer


def get_manager(request: Request, session: SessionDep) -> Viewer:
    viewer = get_viewer(request, session)
    require_role(viewer.user, "manager", "admin")
    return viewer


def get_admin(request: Request, session: SessionDep) -> Viewer:
    viewer = get_viewer(request, session)
    require_role(viewer.user, "admin")
    return viewer


async def get_form_manager(request: Request, session: SessionDep) -> Viewer:
    viewer = await get_form_viewer(request, session)
    require_role(viewer.user, "manager", "admin")
    return viewer


async def get_form_admin(request: Request, session: SessionDep) -> Viewer:
    viewer = await get_form_viewer(request, session)
    require_role(viewer.user, "admin")
    return viewer


PageViewer = Annotated[Viewer, Depends(get_viewer)]
FormViewer = Annotated[Viewer, Depends(get_form_viewer)]
PageManager = Annotated[Viewer, Depends(get_manager)]
FormManager = Annotated[Viewer, Depends(get_form_manager)]
PageAdmin = Annotated[Viewer, Depends(get_admin)]
FormAdmin = Annotated[Viewer, Depends(get_form_admin)]


def signin_csrf(request: Request) -> str:
    """The sign-in form's token: the one in its cookie, or a new one."""
    return request.cookies.get(SIGNIN_COOKIE) or secrets.token_urlsafe(32)


def signin_csrf_ok(request: Request, presented: str | None) -> bool:
    expected = request.cookies.get(SIGNIN_COOKIE) or ""
    return bool(expected and presented) and secrets.compare_digest(expected, presented or "")


def safe_next(target: str | None) -> str:
    """Only same-site paths: never ``//host`` or a scheme."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
