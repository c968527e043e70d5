"""Pure ASGI: a cached JSON brief straight from its stored bytes, before any routing.

``GET /v1/accounts/{id}/brief`` (JSON) runs one statement on a pooled connection
(``briefs.cache.served_as_is``) and sends the stored bytes, or ``304`` when the client's
``If-None-Match`` holds their ETag. Whenever that statement cannot show the full read
would answer the same (unknown, expired or stale-use token, invisible account, outdated
cache, an error), the request goes on to the app unchanged, which decides and answers.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from dealscout.briefs.cache import CachedBody, etag_matches, served_as_is
from dealscout.core.config import Settings
from dealscout.core.db import get_engine, utcnow

log = logging.getLogger(__name__)

_PATH = re.compile(r"/v1/accounts/([1-9][0-9]{0,17})/brief")
_JSON_QUERIES = (b"", b"format=json")


class CachedBriefReads:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if match is None or scope["method"] != "GET" or scope["query_string"] not in _JSON_QUERIES:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        scheme, _, raw = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        cached = None
        if scheme.lower() == "bearer" and raw.strip():
            cached = await run_in_threadpool(self._lookup, raw.strip(), int(match[1]))
        if cached is None:
            await self.app(scope, receive, send)
            return
        await _send(send, cached, headers.get(b"if-none-match"))

    def _lookup(self, raw_token: str, account_id: int) -> CachedBody | None:
        try:
            with get_engine(self.settings.sqlalchemy_url).connect() as connection:
                return served_as_is(connection, self.settings, raw_token, account_id, utcnow())
        except SQLAlchemyError:
            log.warning("cached brief read failed; the full read answers", exc_info=True)
            return None


async def _send(send: Send, cached: CachedBody, if_none_match: bytes | None) -> None:
    unchanged = if_none_match is not None and etag_matches(
        if_none_match.decode("latin-1"), cached.etag
    )
    headers: list[tuple[bytes, bytes]] = [(b"etag", cached.etag.encode())]
    body = b"" if unchanged else cached.body
    if not unchanged:
        headers += [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": 304 if unchanged else 200,
        "headers": headers,
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})
