"""Request dependencies every HTTP entry point shares (the API and the pages): the app's
settings and a database session that is the request's unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dealscout.core.config import Settings
from dealscout.core.db import session_scope


async def get_app_settings(request: Request) -> Settings:
    """Async: nothing here blocks, so it costs no worker-thread hop per request."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """The request is the unit of work: commit on success, roll back on any error."""
    with session_scope(settings.sqlalchemy_url) as session:
        yield session


# "function": commit before the answer is sent, so a client that follows a redirect or
# sends its next request at once always reads what this one wrote.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
