"""Request dependencies: settings, a session that commits at the end, the calling user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from dealscout.accounts.auth import Unauthorized, authenticate
from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker
from dealscout.core.fields import MAX_DB_INT

# Ids and offsets past what the store holds are a 422, never a database error.
IdPath = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_DB_INT)]


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


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


def get_current_user(request: Request, session: SessionDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("missing bearer token")
    user = authenticate(session, raw.strip())
    session.commit()  # record last use even if the request later fails
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_manager(user: CurrentUser) -> User:
    require_role(user, "manager", "admin")
    return user


def get_admin(user: CurrentUser) -> User:
    require_role(user, "admin")
    return user


ManagerUser = Annotated[User, Depends(get_manager)]
AdminUser = Annotated[User, Depends(get_admin)]
