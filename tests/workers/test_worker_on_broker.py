"""The worker path for real: a Celery worker process on Redis fetching from a loopback
server into PostgreSQL — including a worker killed mid-batch and restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from dealscout.core.config import get_settings
from dealscout.core.db import get_sessionmaker
from dealscout.ingestion import service
from dealscout.ingestion.models import Signal, Source
from dealscout.workers.celery_app import configure_celery
from dealscout.workers.tasks import fetch_source
from tests.support.factories import create_workspace, open_session
from tests.support.httpserver import LoopbackServer, Reply
from tests.support.waiting import wait_until

FEEDS = 12
ITEMS_PER_FEED = 4


def _feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Company {n}-{i} opens office number {i} in city {n}</title>"
        f"<link>https://news{n}.example/{i}</link><guid>{n}-{i}</guid>"
        f"<pubDate>Tue, 10 Nov 2026 09:00:00 GMT</pubDate>"
        f"<description>Story {n}-{i}: company {n} opened office {i} with {n * 10 + i} staff "
        f"in a new market, its filing for region {n}-{i} said on Tuesday.</description></item>"
        for i in range(ITEMS_PER_FEED)
    )
    channel = f"<channel><title>f{n}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.fixture
def scale_out(pg_url: str, broker_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("DEALSCOUT_BROKER_VISIBILITY_TIMEOUT", "4")
    get_settings.cache_clear()
    redis.Redis.from_url(broker_url).flushdb()
    return broker_url


@pytest.fixture
def slow_feeds() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        for n in range(FEEDS):
            server.add(
                f"/feed{n}.xml",
                Reply(body=_feed(n), content_type="application/rss+xml", delay_s=0.4),
            )
        yield server


def _start_worker(home: Path) -> subprocess.Popen[bytes]:
    code = "from dealscout.cli.main import run; run()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "worker", "--concurrency", "2", "--loglevel", "WARNING"],
        env={**os.environ, "DEALSCOUT_HOME": str(home)},
        stdout=(home.parent / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _count(query) -> int:  # type: ignore[no-untyped-def]
    with get_sessionmaker(get_settings().sqlalchemy_url)() as session:
        return session.scalar(query) or 0


def test_killed_worker_loses_nothing_and_duplicates_nothing(
    scale_out: str, slow_feeds: LoopbackServer, clean_env: Path
) -> None:
    settings = get_settings()
    session = open_session(settings)
    workspace = create_workspace(session, "default")
    ids = [
        service.source_for(session, workspace.id, slow_feeds.url(f"/feed{n}.xml"), None).id
        for n in range(FEEDS)
    ]
    session.commit()
    session.close()
    configure_celery(settings)
    for source_id in ids:
        fetch_source.delay(source_id)

    worker = _start_worker(clean_env)
    try:
        started = wait_until(lambda: _count(select(func.count(Signal.id))) > 0)
        assert started, "the worker stored nothing"
        os.killpg(worker.pid, signal.SIGKILL)  # mid-batch: some sources done, some not
        worker.wait(timeout=10)
        done_before = _count(select(func.count(Source.id)).where(Source.last_status == "ok"))
        assert done_before < FEEDS, "the kill came too late to interrupt the batch"

        worker = _start_worker(clean_env)
        finished = wait_until(
            lambda: (
                _count(select(func.count(Source.id)).where(Source.last_status == "ok")) == FEEDS
            ),
        )
        assert finished, "not every source was fetched after the restart"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)

    total = FEEDS * ITEMS_PER_FEED
    assert _count(select(func.count(Signal.id))) == total
    assert _count(select(func.count(func.distinct(Signal.guid)))) == total
    assert _count(select(func.count(Signal.id)).where(Signal.status == "active")) == total
