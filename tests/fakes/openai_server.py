"""A real HTTP server on loopback that speaks OpenAI chat completions with scripted replies.

    with FakeOpenAI() as fake:
        fake.script(Reply('{"ok": true}'), Reply(status=429), Reply("{}", delay=2))
        settings = Settings(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="test")
        ...
        assert fake.requests[0]["model"] == settings.llm_model

Replies are consumed in order; once the script is used up every request gets a 500.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    status: int = 200
    delay: float = 0.0
    prompt_tokens: int = 10
    completion_tokens: int = 5
    raw_body: bytes | None = None  # sent verbatim instead of a generated body
    content_type: str = "application/json"


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers that are still sleeping out a delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record(self, body: dict[str, Any]) -> Reply | None:
        with self._lock:
            self.requests.append(body)
            return self._replies.popleft() if self._replies else None

    def _wait(self, seconds: float) -> None:
        self._closing.wait(seconds)


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send_error(404, f"unknown path {self.path}")
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                self._send_error(400, "request body is not JSON")
                return
            reply = fake._record(body)
            if reply is None:
                self._send_error(500, "no scripted reply left")
                return
            if reply.delay:
                fake._wait(reply.delay)
            self._send_reply(reply, body)

        def _send_reply(self, reply: Reply, request: dict[str, Any]) -> None:
            if reply.raw_body is not None:
                self._send(reply.status, reply.raw_body, {"Content-Type": reply.content_type})
            elif reply.status == 200:
                self._send(200, json.dumps(_completion(reply, request)).encode())
            else:
                message = reply.content or f"scripted error {reply.status}"
                self._send_error(reply.status, message)

        def _send_error(self, status: int, message: str) -> None:
            error = {
                "message": message,
                "type": _ERROR_TYPES.get(status, "server_error"),
                "param": None,
                "code": "rate_limit_exceeded" if status == 429 else None,
            }
            headers = {"Retry-After": "1"} if status == 429 else {}
            self._send(status, json.dumps({"error": error}).encode(), headers)

        def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                headers = {"Content-Type": "application/json", **(headers or {})}
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test); nothing to answer

    return Handler


def _completion(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake-model"),
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake
