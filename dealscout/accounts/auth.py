"""API tokens: issued once in clear, stored as SHA-256, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import ApiToken, User
from dealscout.core.db import utcnow
from dealscout.core.errors import DealscoutError, NotFound

TOKEN_PREFIX = "ds_"  # noqa: S105  (a prefix, not a secret)
# a token's last use is recorded at most this often, so reads do not write every request
LAST_USED_RESOLUTION = timedelta(minutes=1)
_BY_HASH = (
    select(User, ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at, ApiToken.last_used_at)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


class Unauthorized(DealscoutError):
    """Missing, malformed, unknown, expired or revoked token (HTTP 401)."""


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
    found = session.execute(_BY_HASH, {"token_hash": hash_token(raw)}).one_or_none()
    now = utcnow()
    if found is None or found.revoked_at is not None:
        raise Unauthorized("unknown or revoked token")
    if found.expires_at is not None and found.expires_at <= now:
        raise Unauthorized("token expired")
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        session.get_one(ApiToken, found.id).last_used_at = now
    return found.User


def in_use_without_write(
    revoked_at: datetime | None,
    expires_at: datetime | None,
    last_used_at: datetime | None,
    now: datetime,
) -> bool:
    """A token ``authenticate`` accepts and whose last use it would not record now: a
    cached read may serve it without a session (any doubt takes the full path)."""
    return (
        revoked_at is None
        and (expires_at is None or expires_at > now)
        and last_used_at is not None
        and now - last_used_at < LAST_USED_RESOLUTION
    )


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
