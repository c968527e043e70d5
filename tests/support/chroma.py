"""A real Chroma server (``chroma run``) on loopback for tests of ``CHROMA_HOST``."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.serve import free_port

CHROMA = Path(sys.executable).parent / "chroma"


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """Run ``chroma run`` on ``path``; yields its port once it answers its heartbeat."""
    port = free_port()
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_heartbeat(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_heartbeat(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("chroma server did not answer its heartbeat in 60 s")
