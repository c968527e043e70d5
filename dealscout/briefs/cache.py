"""Briefs are cached per account and regenerated only when their inputs change.

An account's ``version`` moves whenever its record, its matched signals, its deals, their
coach reports and overrides or the workspace profile change (``accounts/versions.py``), so
the cache key is that one integer with the engine configuration. The brief is stored as
the exact JSON bytes the API sends, with their ETag, so a cached read is one query and no
serialization. A cached brief also expires after ``MAX_AGE`` (ages and recency weights
drift), and a brief the rules engine served because the LLM failed is retried after
``FALLBACK_RETRY``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealscout.accounts.auth import hash_token, in_use_without_write
from dealscout.accounts.models import Account, ApiToken, User
from dealscout.accounts.service import sees_account
from dealscout.briefs.models import BriefCache
from dealscout.briefs.schemas import Brief
from dealscout.core.config import Settings

BRIEF_VERSION = "3"  # bump when the brief's shape or the engines' rules change
MAX_AGE = timedelta(days=7)
FALLBACK_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class CachedBody:
    """A brief as the API sends it: JSON bytes and their ETag."""

    body: bytes
    etag: str


# built once: SQLAlchemy then reuses the compiled statement from its cache
_COLUMNS = (
    Account.workspace_id,
    Account.owner_id,
    Account.version,
    BriefCache.fingerprint,
    BriefCache.generated_at,
    BriefCache.fallback,
    BriefCache.body,
    BriefCache.etag,
)
_CACHED = (
    select(*_COLUMNS)
    .outerjoin(BriefCache, BriefCache.account_id == Account.id)
    .where(Account.id == bindparam("account_id"))
)
# the caller's token and the account's cached brief in one statement (``served_as_is``)
_BY_TOKEN = (
    select(
        User.id,
        User.workspace_id,
        User.role,
        ApiToken.revoked_at,
        ApiToken.expires_at,
        ApiToken.last_used_at,
        *_COLUMNS,
    )
    .join(User, User.id == ApiToken.user_id)
    .join(Account, Account.id == bindparam("account_id"))
    .join(BriefCache, BriefCache.account_id == Account.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class Lookup:
    """What one query tells about an account's cached brief."""

    workspace_id: int
    owner_id: int | None
    key: str
    hit: CachedBody | None


def cache_key(settings: Settings, version: int) -> str:
    engine = f"llm:{settings.llm_model}" if settings.llm_enabled else "rules"
    return hashlib.sha256(f"{BRIEF_VERSION}|{version}|{engine}".encode()).hexdigest()


def lookup(session: Session, settings: Settings, account_id: int, now: datetime) -> Lookup | None:
    """The account's owner and cache key, with its cached brief if still valid (None: no
    such account)."""
    session.flush()  # pending changes move the version read below (Core does not autoflush)
    # Core, not the ORM: these are plain columns, and this is the hot path of a cached read
    row = session.connection().execute(_CACHED, {"account_id": account_id}).one_or_none()
    if row is None:
        return None
    workspace_id, owner_id, version, stored_key, generated_at, fallback, body, etag = row
    key = cache_key(settings, version)
    valid = body is not None and _valid(stored_key, key, generated_at, fallback, now)
    return Lookup(workspace_id, owner_id, key, CachedBody(body, etag) if valid else None)


def _valid(
    stored_key: str, key: str, generated_at: datetime, fallback: bool, now: datetime
) -> bool:
    return stored_key == key and now - generated_at <= (FALLBACK_RETRY if fallback else MAX_AGE)


def served_as_is(
    connection: Connection, settings: Settings, raw_token: str, account_id: int, now: datetime
) -> CachedBody | None:
    """The account's cached brief when one statement shows that the full read would serve
    it unchanged: the token valid with its last use recorded, the account visible to its
    user, the cache current. ``None`` means only that the full read must decide."""
    row = connection.execute(
        _BY_TOKEN, {"token_hash": hash_token(raw_token), "account_id": account_id}
    ).one_or_none()
    if row is None:
        return None
    user = User(id=row[0], workspace_id=row[1], role=row[2])
    revoked_at, expires_at, last_used_at = row[3:6]
    workspace_id, owner_id, version, stored_key, generated_at, fallback, body, etag = row[6:]
    if not (
        in_use_without_write(revoked_at, expires_at, last_used_at, now)
        and sees_account(user, workspace_id, owner_id)
        and _valid(stored_key, cache_key(settings, version), generated_at, fallback, now)
    ):
        return None
    return CachedBody(body, etag)


def encode(brief: Brief) -> CachedBody:
    """The bytes FastAPI's JSONResponse would send for the brief, and their ETag."""
    body = json.dumps(
        brief.model_dump(mode="json"),
        ensure_ascii=False,
        allow_nan=False,
        indent=None,
        separators=(",", ":"),
    ).encode("utf-8")
    return CachedBody(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison against an ``If-None-Match`` list of entity tags (or ``*``)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def decode(cached: CachedBody) -> Brief:
    return Brief.model_validate_json(cached.body)


def save(session: Session, account: Account, key: str, brief: Brief) -> CachedBody:
    """Insert or replace the account's cached brief (another writer may race us)."""
    cached = encode(brief)
    fields = {
        "fingerprint": key,
        "engine": brief.engine,
        "model": brief.model,
        "tokens": brief.tokens,
        "body": cached.body,
        "etag": cached.etag,
        "generated_at": brief.generated_at,
        "fallback": bool(brief.fallback_reason),
    }
    for _ in range(2):
        row = session.scalar(select(BriefCache).where(BriefCache.account_id == account.id))
        try:
            with session.begin_nested():
                if row is None:
                    session.add(
                        BriefCache(
                            workspace_id=account.workspace_id, account_id=account.id, **fields
                        )
                    )
                else:
                    for name, value in fields.items():
                        setattr(row, name, value)
            return cached
        except IntegrityError:
            continue
    return cached
