"""Request dependencies: settings, a session that commits at the end, the calling user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from dealscout.accounts.auth import Unauthorized, authenticate
from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, session_scope

T = TypeVar("T")


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_app_settings(request: Request) -> Settings:
    """Async: nothing here blocks, so it costs no worker-thread hop per request."""
    return app_settings(request)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """The request is the unit of work: commit on success, roll back on any error."""
    session = get_sessionmaker(settings.sqlalchemy_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def bearer_user(request: Request, session: Session) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("missing bearer token")
    user = authenticate(session, raw.strip())
    if session.dirty:
        session.commit()  # record last use (once a minute) even if the request later fails
    return user


def get_current_user(request: Request, session: SessionDep) -> User:
    return bearer_user(request, session)


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_manager(user: CurrentUser) -> User:
    require_role(user, "manager", "admin")
    return user


def get_admin(user: CurrentUser) -> User:
    require_role(user, "admin")
    return user


ManagerUser = Annotated[User, Depends(get_manager)]
AdminUser = Annotated[User, Depends(get_admin)]


async def in_one_thread(request: Request, work: Callable[[Session, User], T]) -> T:
    """``work(session, caller)`` as ``SessionDep`` and ``CurrentUser`` would give them, in
    one worker thread: a hot read pays one thread hop instead of one per dependency."""
    settings = app_settings(request)

    def run() -> T:
        with session_scope(settings.sqlalchemy_url) as session:
            return work(session, bearer_user(request, session))

    return await run_in_threadpool(run)
