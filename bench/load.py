"""Side-by-side HTTP load: a server in a child process, concurrent keep-alive clients here.

The clients are a few lines of asyncio streams speaking HTTP/1.1, far lighter than an HTTP
library, so the generator costs the server's two cores as little as possible. Each server
runs in its own process (``python -m bench.load_server``) so the load generator does not
share its interpreter; both servers of a comparison run the same way in the same run.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class LoadResult:
    rate: float  # requests/s
    p95_ms: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server_process(*args: str) -> Iterator[int]:
    """``python -m bench.load_server ARGS --port N``; yields N once it accepts connections."""
    port = free_port()
    command = [sys.executable, "-m", "bench.load_server", *args, "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own module
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"bench server {args} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def _client(
    port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


def load(port: int, path: str, token: str, *, clients: int, seconds: float) -> LoadResult:
    """``clients`` connections each sending GET ``path`` back to back for ``seconds``."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        warm_until = time.perf_counter() + min(1.0, seconds / 4)
        await asyncio.gather(*(_client(port, request, warm_until, [], []) for _ in range(2)))
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(_client(port, request, until, latencies, errors) for _ in range(clients))
        )
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    return LoadResult(
        len(latencies) / elapsed, percentile(latencies, 95), len(errors), len(latencies)
    )
