"""Browser sessions opened with an API token: sign in, look up, sign out.

The cookie carries a random id; the store keeps its SHA-256, the user, the token it was
opened with (revoking the token ends the session) and the session's CSRF token.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealscout.accounts.auth import Unauthorized, authenticate, hash_token
from dealscout.accounts.models import ApiToken, User, WebSession
from dealscout.core.db import utcnow

SESSION_HOURS = 12


def sign_in(session: Session, raw_token: str) -> tuple[WebSession, str]:
    """Open a session for the token's user; returns the session and the cookie value."""
    raw_token = raw_token.strip()
    user = authenticate(session, raw_token)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw_token)))
    assert token is not None  # authenticate found it
    now = utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    expires = now + timedelta(hours=SESSION_HOURS)
    if token.expires_at is not None:
        expires = min(expires, token.expires_at)
    raw = secrets.token_urlsafe(32)
    web = WebSession(
        session_hash=hash_token(raw),
        csrf_token=secrets.token_urlsafe(32),
        user_id=user.id,
        workspace_id=user.workspace_id,
        token_id=token.id,
        expires_at=expires,
    )
    session.add(web)
    session.flush()
    return web, raw


def session_user(session: Session, raw: str) -> tuple[User, WebSession]:
    """The user of a live session; Unauthorized when it is unknown, expired or its token
    was revoked."""
    web = session.scalar(select(WebSession).where(WebSession.session_hash == hash_token(raw)))
    if web is None or web.expires_at <= utcnow():
        raise Unauthorized("session expired; sign in again")
    token = session.get(ApiToken, web.token_id)
    user = session.get(User, web.user_id)
    if token is None or token.revoked_at is not None or user is None:
        raise Unauthorized("session expired; sign in again")
    return user, web


def sign_out(session: Session, raw: str) -> None:
    session.execute(delete(WebSession).where(WebSession.session_hash == hash_token(raw)))


def csrf_ok(web: WebSession, presented: str | None) -> bool:
    return bool(presented) and secrets.compare_digest(web.csrf_token, presented or "")
