"""Source records and an account's signals, under the workspace's visibility rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.accounts.service import (
    get_account,
    require_role,
    sees_whole_workspace,
    visible_accounts_query,
)
from dealscout.accounts.trail import delete_with_trail
from dealscout.core.errors import BadInput
from dealscout.core.redact import redact
from dealscout.ingestion.classify import SIGNAL_TYPES
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.ingestion.queries import account_signals_query
from dealscout.ingestion.service import get_source
from dealscout.ingestion.source_schemas import SourceCreate, SourceUpdate
from dealscout.ingestion.urlsafety import AddressPolicy, Resolver, check_url, system_resolver


def visible_source(session: Session, user: User, source_id: int) -> Source:
    """A source of the caller's workspace; a rep only sees sources of accounts they own
    and workspace-wide sources."""
    source = get_source(session, user.workspace_id, source_id)
    if source.account_id is not None:
        get_account(session, user, source.account_id)
    return source


def list_sources(session: Session, user: User, account_id: int | None = None) -> list[Source]:
    query = select(Source).where(Source.workspace_id == user.workspace_id)
    if account_id is not None:
        get_account(session, user, account_id)
        query = query.where(Source.account_id == account_id)
    sources = list(session.scalars(query.order_by(Source.id)))
    if not sees_whole_workspace(user):
        own = {a.id for a in session.scalars(visible_accounts_query(user))}
        sources = [s for s in sources if s.account_id is None or s.account_id in own]
    return sources


def create_source(
    session: Session,
    user: User,
    data: SourceCreate,
    policy: AddressPolicy,
    resolver: Resolver = system_resolver,
) -> Source:
    """A new source whose URL is safe now (it is checked again at every fetch); its name,
    shown in briefs, never carries the URL's credentials or keys."""
    if data.account_id is not None:
        get_account(session, user, data.account_id)
    else:
        require_role(user, "manager", "admin")
    url = check_url(data.url, policy, resolver)
    source = Source(workspace_id=user.workspace_id, **data.model_dump(exclude={"url"}), url=url)
    source.name = redact(source.name or url)[:200]
    session.add(source)
    session.flush()
    return source


def editable_source(session: Session, user: User, source_id: int) -> Source:
    """A source the caller may change: workspace-wide sources are the managers'."""
    source = visible_source(session, user, source_id)
    if source.account_id is None:
        require_role(user, "manager", "admin")
    return source


def update_source(session: Session, user: User, source_id: int, data: SourceUpdate) -> Source:
    source = editable_source(session, user, source_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(source, field, redact(value) if field == "name" else value)
    session.flush()
    return source


def linked_account_ids(session: Session, source_id: int) -> list[int]:
    """The accounts that any signal of the source is matched to."""
    linked = select(SignalAccount.account_id).join(Signal, Signal.id == SignalAccount.signal_id)
    return list(session.scalars(linked.where(Signal.source_id == source_id)))


def delete_source(session: Session, user: User, source_id: int) -> None:
    delete_with_trail(session, user, "source", editable_source(session, user, source_id))


def account_signals(
    session: Session,
    user: User,
    account_id: int,
    *,
    signal_type: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Signal]:
    get_account(session, user, account_id)
    if signal_type is not None and signal_type not in SIGNAL_TYPES:
        raise BadInput(f"unknown signal type {signal_type!r}")
    query = account_signals_query(account_id)
    if signal_type:
        query = query.where(Signal.type == signal_type)
    if since:
        query = query.where(Signal.published_at >= since)
    query = query.order_by(Signal.published_at.desc(), Signal.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))
