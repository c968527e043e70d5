"""The embedded default end to end: `dealscout serve` runs the API, the worker and the beat
in one process on the filesystem broker; a new source is polled and ingested by itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from dealscout.briefs.models import BriefCache
from dealscout.core.config import get_settings
from dealscout.core.db import get_sessionmaker
from tests.ingestion.test_hostile_documents import rss
from tests.support.httpserver import LoopbackServer
from tests.support.waiting import wait_until

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLI = [sys.executable, "-c", "from dealscout.cli.main import run; run()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(clean_env: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with _serve() as found:
        yield found


@contextmanager
def _serve(**settings: str) -> Iterator[tuple[str, dict[str, str]]]:
    """``dealscout serve`` on a free port with these extra settings: its URL and headers."""
    env = {
        **os.environ,
        "DEALSCOUT_ALLOW_PRIVATE_URLS": "1",
        "DEALSCOUT_POLL_INTERVAL": "1",
        **settings,
    }
    init = subprocess.run([*CLI, "init"], env=env, capture_output=True, text=True, timeout=120)
    token = init.stdout.strip().splitlines()[-1].removeprefix("token: ")
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _healthy(base), process=process), "serve did not start"
        yield base, {"Authorization": f"Bearer {token}"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_beat_polls_a_new_source_and_the_worker_ingests_it(
    served: tuple[str, dict[str, str]],
) -> None:
    base, headers = served
    with LoopbackServer() as feeds:
        feeds.file("/a.xml", FIXTURES / "ingest" / "wire_a.xml", content_type="application/rss+xml")
        account = httpx.post(
            f"{base}/v1/accounts", json={"name": "Fennick Labs"}, headers=headers
        ).json()
        body = {"url": feeds.url("/a.xml"), "account_id": account["id"]}
        source = httpx.post(f"{base}/v1/sources", json=body, headers=headers).json()
        url = f"{base}/v1/sources/{source['id']}"
        status = wait_until(lambda: _source_done(url, headers))
        assert status is not None and status["last_status"] == "ok", status
        assert status["last_new"] == 2
        signals = httpx.get(f"{base}/v1/accounts/{account['id']}/signals", headers=headers).json()
        assert len(signals) == 2
        assert httpx.get(f"{base}/readyz").json()["checks"]["broker"]["ok"] is True
        assert _wait_for_cached_brief(account["id"]), "the worker did not prepare the brief"


def test_the_task_time_limit_holds_in_the_embedded_workers_threads(clean_env: Path) -> None:
    """Celery's own time limits need a process pool; the embedded worker runs tasks in
    threads, where the cooperative limit stops a fetch that takes too long."""
    body = "<p>" + "Fennick Labs hires engineers in Berlin. " * 200 + "</p>"
    feed = rss([(f"Hiring {n}", body) for n in range(300)]).decode()
    with _serve(DEALSCOUT_TASK_TIME_LIMIT="0.2") as (base, headers), LoopbackServer() as feeds:
        feeds.text("/big.xml", feed, content_type="application/rss+xml")
        account = httpx.post(
            f"{base}/v1/accounts", json={"name": "Fennick Labs"}, headers=headers
        ).json()
        body_json = {"url": feeds.url("/big.xml"), "account_id": account["id"]}
        source = httpx.post(f"{base}/v1/sources", json=body_json, headers=headers).json()
        status = wait_until(lambda: _source_done(f"{base}/v1/sources/{source['id']}", headers))
        assert status is not None and status["last_status"] == "refused", status
        assert "time limit" in status["last_error"]
        signals = httpx.get(f"{base}/v1/accounts/{account['id']}/signals", headers=headers)
        assert signals.json() == []


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _source_done(url: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """The source's status once its first fetch has ended (ok or not)."""
    status: dict[str, Any] = httpx.get(url, headers=headers).json()
    return status if status["last_status"] is not None else None


def _wait_for_cached_brief(account_id: int) -> bool:
    """The worker regenerates the brief ahead of the first read."""
    query = select(BriefCache.id).where(BriefCache.account_id == account_id)
    with get_sessionmaker(get_settings().sqlalchemy_url)() as session:

        def cached() -> bool:
            session.rollback()  # a fresh snapshot each time
            return session.scalar(query) is not None

        return bool(wait_until(cached))


def test_a_cli_writer_is_told_the_server_holds_the_store(
    served: tuple[str, dict[str, str]],
) -> None:
    result = subprocess.run(
        [*CLI, "ingest", str(FIXTURES / "ingest" / "wire_a.xml"), "--account", "Fennick Labs"],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )  # fmt: skip
    assert result.returncode == 2
    assert "held by pid" in result.stderr and "Traceback" not in result.stderr
