"""A real Chroma server (``chroma run``) on loopback for tests of ``CHROMA_HOST``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.serve import free_port
from tests.support.waiting import wait_until

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
        if not wait_until(lambda: _answers(port), process=process):
            raise RuntimeError(f"chroma run did not answer (exit status {process.poll()})")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).raise_for_status()
    except httpx.HTTPError:
        return False
    return True
