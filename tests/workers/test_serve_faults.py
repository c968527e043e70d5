"""Faults of the embedded default for real: ``dealscout serve`` on SQLite killed mid-fetch
of a large feed and restarted; SIGTERM and SIGINT; a vector store deleted or corrupted."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from dealscout.core.config import get_settings
from dealscout.core.db import get_sessionmaker
from dealscout.core.lock import StoreLock
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion.models import Signal, VectorOutbox
from tests.support.httpserver import LoopbackServer, Reply
from tests.support.serve import CLI, Served, init_token, session_processes
from tests.support.waiting import wait_until

ITEMS = 1500
_WORDS = [
    f"{a}{b}{c}"
    for a in ("ka", "lo", "mer", "tiv", "sun", "dra")
    for b in ("ven", "pol", "rix", "dal", "mo", "ter", "quin")
    for c in ("a", "o", "is", "um", "en")
]


def _large_feed(items: int) -> bytes:
    """Distinct stories (random words, no near copies), so every item is a new signal."""
    rng = random.Random(17)
    entries = []
    for n in range(items):
        title = " ".join(rng.choice(_WORDS) for _ in range(8))
        body = " ".join(rng.choice(_WORDS) for _ in range(40))
        entries.append(
            f"<item><title>{title} {n}</title><link>https://wire.example/{n}</link>"
            f"<guid>story-{n}</guid><pubDate>Tue, 10 Nov 2026 09:00:00 GMT</pubDate>"
            f"<description>{body}</description></item>"
        )
    channel = f"<channel><title>wire</title>{''.join(entries)}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.fixture
def env(clean_env: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEALSCOUT_ALLOW_PRIVATE_URLS": "1",
        "DEALSCOUT_POLL_INTERVAL": "3600",
        "DEALSCOUT_FEED_MAX_ITEMS": str(ITEMS),  # one large feed, read whole
    }


def _sql_counts() -> tuple[int, int, int]:
    """(signals, distinct GUIDs, queued vectors) as another process sees them."""
    with get_sessionmaker(get_settings().sqlalchemy_url)() as session:
        total = session.scalar(select(func.count(Signal.id))) or 0
        guids = session.scalar(select(func.count(func.distinct(Signal.guid)))) or 0
        queued = session.scalar(select(func.count()).select_from(VectorOutbox)) or 0
    return total, guids, queued


def _post_fetch(base: str, headers: dict[str, str], source_id: int, out: list[object]) -> None:
    try:
        out.append(httpx.post(f"{base}/v1/sources/{source_id}/fetch", headers=headers, timeout=300))
    except httpx.TransportError as exc:  # the server was killed under the request
        out.append(exc)


def test_serve_killed_mid_fetch_then_retried_loses_and_duplicates_nothing(
    env: dict[str, str], clean_env: Path
) -> None:
    headers = {"Authorization": f"Bearer {init_token(env)}"}
    log = clean_env.parent / "serve.log"
    with LoopbackServer() as feeds:
        feeds.add("/wire.xml", Reply(body=_large_feed(ITEMS), content_type="application/rss+xml"))
        served = Served(env, log)
        try:
            source = httpx.post(
                f"{served.base}/v1/sources", json={"url": feeds.url("/wire.xml")}, headers=headers
            ).json()
            outcome: list[object] = []
            client = threading.Thread(
                target=_post_fetch, args=(served.base, headers, source["id"], outcome)
            )
            client.start()
            assert wait_until(lambda: feeds.hits("/wire.xml") == 1)
            # the feed is fetched; the server parses, dedupes, classifies and stores it now
            client.join(timeout=1.5)  # when to kill, not a deadline
            assert client.is_alive(), "the fetch finished before the kill: make the feed larger"
            os.killpg(served.process.pid, signal.SIGKILL)
            served.process.wait(timeout=30)
            client.join(timeout=30)
            assert isinstance(outcome[0], httpx.TransportError)
            total, guids, queued = _sql_counts()
            assert total in (0, ITEMS), "a partial ingest was committed"

            served = Served(env, log)  # restarted: the reconciler runs at startup
            retried = httpx.post(
                f"{served.base}/v1/sources/{source['id']}/fetch", headers=headers, timeout=300
            )
            assert retried.status_code == 200, retried.text
            status = retried.json()
            assert status["last_new"] + status["last_duplicates"] == ITEMS
            assert wait_until(lambda: _sql_counts()[2] == 0), "vectors still queued"
            ready = httpx.get(f"{served.base}/readyz").json()
            assert ready["status"] == "ready" and ready["vectors_pending"] == 0, ready
        finally:
            served.stop()
    assert _sql_counts() == (ITEMS, ITEMS, 0)
    settings = get_settings()
    with get_sessionmaker(settings.sqlalchemy_url)() as session:
        workspace_id = session.scalars(select(Signal.workspace_id)).first()
        active = {str(i) for i in session.scalars(select(Signal.id))}
    assert workspace_id is not None
    assert ingest_flow.vector_store(settings).ids(workspace_id) == active  # vectors = SQL


def test_backup_while_serving_readyz_on_a_deleted_vector_folder_and_sigterm(
    env: dict[str, str], clean_env: Path
) -> None:
    init_token(env)
    served = Served(env, clean_env.parent / "serve.log")
    pid = served.process.pid
    try:
        assert session_processes(pid) == [pid], "serve should run its worker and beat as threads"
        assert httpx.get(f"{served.base}/readyz").status_code == 200
        backup = clean_env.parent / "backup"
        saved = subprocess.run([*CLI, "backup", str(backup), "--json"], env=env,
                               capture_output=True, text=True, timeout=180)  # fmt: skip
        assert saved.returncode == 0, saved.stderr  # while the server holds the store
        assert json.loads(saved.stdout)["counts"]["workspaces"] == 1
        subprocess.run(["rm", "-rf", str(clean_env / "chroma")], check=True)
        answer = httpx.get(f"{served.base}/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"]["vectorstore"]["ok"] is False

        served.signal(signal.SIGTERM)  # it used to leave the embedded beat under PID 1
        assert served.process.wait(timeout=90) == 0
        assert wait_until(lambda: session_processes(pid) == [])
        with StoreLock(get_settings()):  # the lock was let go
            pass
    finally:
        served.stop()


def test_reindex_sets_a_corrupt_store_aside_and_rebuilds_it(
    env: dict[str, str], clean_env: Path
) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "wire_a.xml"
    ingest = [*CLI, "ingest", str(fixture), "--account", "Fennick Labs"]
    assert subprocess.run(ingest, env=env, capture_output=True, timeout=180).returncode == 0
    (clean_env / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    result = subprocess.run([*CLI, "reindex"], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "moved to" in result.stderr and "Traceback" not in result.stderr
    assert "reindexed 2 signals" in result.stdout
    assert list(clean_env.glob("chroma.corrupt-*"))
    again = subprocess.run([*CLI, "reindex"], env=env, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0 and "reindexed 2 signals" in again.stdout
