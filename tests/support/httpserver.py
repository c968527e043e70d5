"""A real HTTP server on loopback for tests and benchmarks, run in a background thread.

    with LoopbackServer() as server:
        server.text("/feed.xml", data, content_type="application/rss+xml")
        server.file("/page.html", path)
        server.redirect("/old", "/feed.xml")
        server.add("/slow", Reply(body=b"x", chunk_delay_s=0.2, endless=True))
        server.add("/etag", lambda request: Reply(status=304) if request.headers.get(
            "if-none-match") == '"v1"' else Reply(body=b"...", headers={"ETag": '"v1"'}))
        fetcher.get(server.url("/feed.xml"))
        assert server.hits("/feed.xml") == 1

Unknown paths answer 404. Each response closes its connection (HTTP/1.0). ``connections``
counts accepted TCP connections, so a test can prove that nothing connected at all.
Bind ``host="::1"`` for IPv6 or another loopback address such as ``127.0.0.2``.
"""

from __future__ import annotations

import mimetypes
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Reply:
    """A scripted response. ``endless`` repeats ``body`` until the client goes away."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/plain; charset=utf-8"
    delay_s: float = 0.0  # before the status line
    chunk_size: int = 1024
    chunk_delay_s: float = 0.0  # between body chunks (slow drip)
    endless: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    client: str


Handler = Reply | Callable[[Request], Reply]


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections += 1
        return True


class _CountingServer6(_CountingServer):
    address_family = socket.AF_INET6


class LoopbackServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Handler] = {}
        self.directories: dict[str, Path] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server_class = _CountingServer6 if ":" in host else _CountingServer
        self._httpd = server_class((host, port), _make_handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def connections(self) -> int:
        return self._httpd.connections

    @property
    def base_url(self) -> str:
        return self.url("")

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        """Absolute URL of ``path``; ``host`` swaps in a name (for tests with a resolver)."""
        name = host or self.host
        return f"http://{f'[{name}]' if ':' in name else name}:{self.port}{path}"

    def add(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def text(
        self,
        path: str,
        body: str | bytes,
        *,
        content_type: str = "text/plain",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.add(path, Reply(status, data, dict(headers or {}), content_type))

    def file(
        self,
        path: str,
        source: Path,
        *,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        guessed = content_type or mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        self.add(path, Reply(200, source.read_bytes(), dict(headers or {}), guessed))

    def directory(self, prefix: str, root: Path) -> None:
        """Serve every file under ``root`` at ``prefix + relative path``."""
        self.directories[prefix.rstrip("/") + "/"] = root

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.add(path, Reply(status, b"", {"Location": location}, None))

    def hits(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    def close(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _reply_for(self, request: Request) -> Reply:
        handler = self.routes.get(request.path) or self.routes.get(urlsplit(request.path).path)
        if handler is not None:
            return handler(request) if callable(handler) else handler
        path = urlsplit(request.path).path
        for prefix, root in self.directories.items():
            candidate = (root / path.removeprefix(prefix)).resolve()
            inside = path.startswith(prefix) and candidate.is_relative_to(root.resolve())
            if inside and candidate.is_file():
                guessed = mimetypes.guess_type(candidate.name)[0]
                return Reply(body=candidate.read_bytes(), content_type=guessed)
        return Reply(404, b"not found")


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Silent: tests read ``server.requests`` instead."""

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(send_body=False)

        def do_GET(self) -> None:  # noqa: N802
            self._serve(send_body=True)

        def _serve(self, *, send_body: bool) -> None:
            request = Request(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.client_address[0],
            )
            server._record(request)
            reply = server._reply_for(request)
            time.sleep(reply.delay_s)
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if not reply.endless and "content-length" not in {k.lower() for k in reply.headers}:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if send_body:
                self._write_body(reply)

        def _write_body(self, reply: Reply) -> None:
            try:
                while True:
                    for start in range(0, len(reply.body), reply.chunk_size):
                        if server._stopping.is_set():
                            return
                        self.wfile.write(reply.body[start : start + reply.chunk_size])
                        self.wfile.flush()
                        time.sleep(reply.chunk_delay_s)
                    if not reply.endless or not reply.body:
                        return
            except (BrokenPipeError, ConnectionResetError):
                return

    return _Handler
