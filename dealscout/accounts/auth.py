"""API tokens: issued once in clear, stored as SHA-256, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import ApiToken, User
from dealscout.core.db import utcnow
from dealscout.core.errors import DealscoutError, NotFound

TOKEN_PREFIX = "ds_"  # noqa: S105  (a prefix, not a secret)


class Unauthorized(DealscoutError):
    """Missing, malformed, unknown, expired or revoked token (HTTP 401)."""


LAST_USE_RESOLUTION = timedelta(minutes=1)  # how precisely a token's last use is kept


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    session: Session, user: User, *, name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user_id=user.id,
        workspace_id=user.workspace_id,
        token_hash=hash_token(raw),
        prefix=raw[:10],
        name=name,
        expires_at=expires,
    )
    session.add(token)
    session.flush()
    return token, raw


def authenticate(session: Session, raw: str) -> User:
    if not raw.startswith(TOKEN_PREFIX) or not 20 <= len(raw) <= 100:
        raise Unauthorized("malformed token")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        raise Unauthorized("unknown or revoked token")
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthorized("token expired")
    user = session.get(User, token.user_id)
    if user is None:
        raise Unauthorized("unknown or revoked token")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        token.last_used_at = now  # not on every request: a write per read serialized SQLite
    return user


def revoke_token(session: Session, workspace_id: int, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.workspace_id != workspace_id:
        raise NotFound(f"token {token_id} not found")
    token.revoked_at = token.revoked_at or utcnow()
    return token


def list_tokens(session: Session, workspace_id: int) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.workspace_id == workspace_id).order_by(ApiToken.id)
        )
    )
