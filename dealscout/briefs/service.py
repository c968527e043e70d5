"""Brief use cases shared by the API, the CLI and the worker."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.models import Account, User
from dealscout.briefs import cache
from dealscout.briefs.generate import generate_brief
from dealscout.briefs.schemas import Brief, Engine
from dealscout.core.config import Settings
from dealscout.core.db import utcnow
from dealscout.core.errors import NotFound
from dealscout.core.llm import LLMGateway


class BriefRefresh(BaseModel):
    account_id: int
    regenerated: bool
    engine: Engine
    fingerprint: str


def _visible(user: User, found: cache.Lookup | None, account_id: int) -> cache.Lookup:
    """The lookup of an account the user may see (NotFound otherwise, as ``get_account``)."""
    if found is None or not accounts.sees_account(user, found.workspace_id, found.owner_id):
        raise NotFound(f"account {account_id} not found")
    return found


def _regenerate(
    session: Session,
    settings: Settings,
    account_id: int,
    key: str,
    gateway: LLMGateway | None = None,
) -> tuple[Brief, cache.CachedBody]:
    account = session.get_one(Account, account_id)
    brief = generate_brief(session, settings, account, gateway=gateway)
    return brief, cache.save(session, account, key, brief)


def _cached_or_new(
    session: Session,
    settings: Settings,
    account_id: int,
    *,
    user: User | None = None,
    refresh: bool = False,
    gateway: LLMGateway | None = None,
) -> tuple[Brief | None, cache.CachedBody, str, bool]:
    """(the brief when it was generated, its bytes, the cache key, regenerated?)."""
    found = cache.lookup(session, settings, account_id, utcnow())
    if user is not None:
        found = _visible(user, found, account_id)
    elif found is None:
        raise NotFound(f"account {account_id} not found")
    if found.hit is not None and not refresh:
        return None, found.hit, found.key, False
    brief, cached = _regenerate(session, settings, account_id, found.key, gateway)
    return brief, cached, found.key, True


def account_brief(
    session: Session,
    settings: Settings,
    account: Account,
    *,
    refresh: bool = False,
    gateway: LLMGateway | None = None,
) -> Brief:
    """The cached brief of ``account`` while its inputs are unchanged, else a new one."""
    brief, cached, _, _ = _cached_or_new(
        session, settings, account.id, refresh=refresh, gateway=gateway
    )
    return brief or cache.decode(cached)


def get_brief(
    session: Session,
    settings: Settings,
    user: User,
    account_id: int,
    *,
    refresh: bool = False,
    gateway: LLMGateway | None = None,
) -> Brief:
    """The brief of an account the user may see (NotFound otherwise)."""
    brief, cached, _, _ = _cached_or_new(
        session, settings, account_id, user=user, refresh=refresh, gateway=gateway
    )
    return brief or cache.decode(cached)


def get_brief_body(
    session: Session, settings: Settings, user: User, account_id: int
) -> cache.CachedBody:
    """The brief's JSON bytes and ETag, as stored: a cached read decodes nothing."""
    return _cached_or_new(session, settings, account_id, user=user)[1]


def refresh_brief(session: Session, settings: Settings, account_id: int) -> BriefRefresh:
    """Bring the account's cached brief up to date ahead of a read (the worker's job);
    does nothing costly when the fingerprint is unchanged."""
    brief, cached, key, regenerated = _cached_or_new(session, settings, account_id)
    return BriefRefresh(
        account_id=account_id,
        regenerated=regenerated,
        engine=(brief or cache.decode(cached)).engine,
        fingerprint=key,
    )
