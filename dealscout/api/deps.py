"""Request dependencies of the API: the calling user by bearer token (settings and the
session come from ``core.http``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from dealscout.accounts.auth import Unauthorized, authenticate
from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.core.fields import MAX_DB_INT
from dealscout.core.http import SessionDep, SettingsDep

# Ids and offsets past what the store holds are a 422, never a database error.
IdPath = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_DB_INT)]

__all__ = ["SessionDep", "SettingsDep", "CurrentUser", "ManagerUser", "AdminUser"]


def get_current_user(request: Request, session: SessionDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("missing bearer token")
    user = authenticate(session, raw.strip())
    if session.dirty:
        session.commit()  # record last use (once a minute) even if the request later fails
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
