"""HTTP request counts and latency for Prometheus, as pure ASGI middleware.

Requests are labelled by their route's path template (``/v1/accounts/{account_id}/brief``),
not the raw path, so the number of series stays bounded.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dealscout.core.telemetry import HTTP_LATENCY, HTTP_REQUESTS

UNMATCHED = "unmatched"


def _template(scope: Scope) -> str:
    """The matched route's template with the prefix of the router it was included under
    (FastAPI reports the template within that router: ``/accounts/{account_id}``)."""
    template = getattr(scope.get("route"), "path", None)
    if not template:
        return UNMATCHED
    segments = scope["path"].split("/")
    prefix = segments[: len(segments) - template.count("/")]
    return "/".join(prefix) + template


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        start = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _template(scope)
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_LATENCY.labels(scope["method"], route).observe(time.perf_counter() - start)
