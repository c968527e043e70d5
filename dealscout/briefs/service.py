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


def _cached_or_new(
    session: Session,
    settings: Settings,
    account: Account,
    *,
    refresh: bool = False,
    gateway: LLMGateway | None = None,
) -> tuple[Brief, str, bool]:
    fingerprint = cache.fingerprint(session, settings, account)
    hit = None if refresh else cache.load(session, account.id, fingerprint, utcnow())
    if hit is not None:
        return hit, fingerprint, False
    brief = generate_brief(session, settings, account, gateway=gateway)
    cache.save(session, account, fingerprint, brief)
    return brief, fingerprint, True


def account_brief(
    session: Session,
    settings: Settings,
    account: Account,
    *,
    refresh: bool = False,
    gateway: LLMGateway | None = None,
) -> Brief:
    """The cached brief of ``account`` while its inputs are unchanged, else a new one."""
    return _cached_or_new(session, settings, account, refresh=refresh, gateway=gateway)[0]


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
    account = accounts.get_account(session, user, account_id)
    return account_brief(session, settings, account, refresh=refresh, gateway=gateway)


def refresh_brief(session: Session, settings: Settings, account_id: int) -> BriefRefresh:
    """Bring the account's cached brief up to date ahead of a read (the worker's job);
    does nothing costly when the fingerprint is unchanged."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id} not found")
    brief, fingerprint, regenerated = _cached_or_new(session, settings, account)
    return BriefRefresh(
        account_id=account_id,
        regenerated=regenerated,
        engine=brief.engine,
        fingerprint=fingerprint,
    )
