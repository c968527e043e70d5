"""Bounded requests, as pure ASGI middleware that runs before routing and authentication.

``BodyLimit`` refuses a body larger than the configured size while reading it (413), and
text holding NUL characters (422, PostgreSQL cannot store them). ``RateLimit`` answers 429
with ``Retry-After`` to a client address after too many failed authentications, and to a
token that sends too many requests. Counters live in the process: the embedded default
runs one API process; behind several processes each enforces its own share.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from dealscout.core.config import Settings

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]

WINDOW_S = 60.0
_MAX_KEYS = 10_000  # a counter forgets expired windows once it holds this many keys
# a JSON ``\u0000`` escape not itself escaped (an odd number of backslashes before the u)
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_UPLOAD_SUFFIX = "/import"


async def _answer(
    send: Send, status: int, detail: str, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    raw_headers += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def nul_reason(scope: Scope, body: bytes) -> str | None:
    """Why the request carries a NUL character (path, query or JSON text), or None."""
    if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(
        scope.get("query_string", b"")
    ):
        return "NUL characters are not allowed in the URL"
    media = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    if media.endswith("json") and (b"\x00" in body or _JSON_NUL.search(body)):
        return "NUL characters are not allowed in text"
    return None


class BodyLimit:
    """Reads the body up to the limit (larger for CSV imports), then replays it to the app."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path.rstrip("/").endswith(_UPLOAD_SUFFIX):
            return self.settings.max_upload_bytes
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        too_large = f"request body larger than {limit} bytes"
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _answer(send, 413, too_large)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        reason = nul_reason(scope, body)
        if reason:
            await _answer(send, 422, reason)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return dict(await receive())  # after the body: wait for the disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


@dataclass
class WindowCounter:
    """Events per key in fixed one-minute windows."""

    limit: int
    window_s: float = WINDOW_S
    clock: Callable[[], float] = time.monotonic
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)

    def _current(self, key: str) -> tuple[float, int]:
        now = self.clock()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self.window_s:
            start, count = now, 0
        return start, count

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` may try again, or None when it is under its limit."""
        start, count = self._current(key)
        if count < self.limit:
            return None
        return max(1, math.ceil(start + self.window_s - self.clock()))

    def add(self, key: str) -> None:
        start, count = self._current(key)
        if len(self._windows) >= _MAX_KEYS and key not in self._windows:
            now = self.clock()
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window_s}
        self._windows[key] = (start, count + 1)


class RateLimit:
    """429 for a client address after too many 401s, and for a token over its request rate.

    A limit of 0 switches that check off (benchmarks).
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.auth_failures = WindowCounter(settings.auth_failures_per_minute)
        self.token_requests = WindowCounter(settings.token_requests_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.auth_failures.limit:
            wait = self.auth_failures.retry_after(client)
            if wait is not None:
                await _answer(send, 429, "too many failed authentications", _retry(wait))
                return
        authorization = _header(scope, b"authorization")
        if authorization and self.token_requests.limit:
            key = hashlib.sha256(authorization.encode()).hexdigest()
            wait = self.token_requests.retry_after(key)
            if wait is not None:
                await _answer(send, 429, "too many requests for this token", _retry(wait))
                return
            self.token_requests.add(key)

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.auth_failures.add(client)
            await send(message)

        await self.app(scope, receive, watch if self.auth_failures.limit else send)


def _retry(seconds: int) -> dict[str, str]:
    return {"retry-after": str(seconds)}
