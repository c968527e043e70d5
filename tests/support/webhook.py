"""A real HTTP server on loopback that receives webhook POSTs (Slack-style), for tests.

with WebhookReceiver(fail_first=1) as hook:   # answers 500 once, then 200
    ... post to hook.url ...
    assert hook.payloads[0]["text"]
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class WebhookReceiver:
    def __init__(self, *, fail_first: int = 0, status: int = 500) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.attempts = 0
        self._fail_left, self._status = fail_first, status
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/digest"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver._lock:
                    receiver.attempts += 1
                    failing = receiver._fail_left > 0
                    receiver._fail_left -= int(failing)
                    if not failing:
                        receiver.payloads.append(json.loads(body))
                self.send_response(receiver._status if failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        return Handler

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
