"""Hostile input costs bounded time and memory (issue 15).

* nested item — a 1 MB RSS item of 200,000 unclosed ``<div>``s in CDATA, served on loopback
  HTTP and run through the production path ``followups.fetch_and_follow_up``.
* 13k-item feed — a 4.3 MB feed of 12,982 items through the same path, in a fresh process
  so its peak memory (``ru_maxrss``, model loading included) is its own; a 1-item feed in
  another fresh process gives the baseline (embedding model, Chroma, libraries).
* 50 MB body — a real uvicorn server on loopback; the seconds from sending the headers of a
  50 MB POST to the 413, without and with a valid token.

Each row runs on the embedded store in a temp home.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import threading
import time
from typing import Any

ITEMS_13K = 12_982
BODY_BYTES = 50 * 1024 * 1024


def _rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example/{n}</link>"
        f"<guid>g-{n}</guid><description><![CDATA[{body}]]></description></item>"
        for n, (title, body) in enumerate(items)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
    return f"{head}{entries}</channel></rss>"


def _ingest_seconds(feed: str) -> tuple[float, dict[str, object]]:
    """Seconds to fetch and ingest ``feed`` from loopback, in a fresh temp home."""
    from dealscout.core.config import get_settings
    from dealscout.flows import ingest as followups
    from dealscout.ingestion import service
    from tests.support.factories import create_workspace, open_session
    from tests.support.httpserver import LoopbackServer

    os.environ["DEALSCOUT_HOME"] = tempfile.mkdtemp(prefix="hostile-bench-")
    os.environ["DEALSCOUT_ALLOW_PRIVATE_URLS"] = "1"
    get_settings.cache_clear()
    session = open_session(get_settings())
    with LoopbackServer() as server:
        server.text("/feed.xml", feed, content_type="application/rss+xml")
        workspace = create_workspace(session, "default")
        source = service.source_for(session, workspace.id, server.url("/feed.xml"), None)
        started = time.perf_counter()
        report = followups.fetch_and_follow_up(session, get_settings(), source)
        seconds = time.perf_counter() - started
    session.commit()
    session.close()
    return seconds, report.public()


def _feed_child(queue: Any, count: int) -> None:
    text = (
        "Company {n} opens a new office in city {c} and hires {e} engineers for its platform team"
    )
    items = [(f"Company {n} opens an office", (text.format(n=n, c=n % 97, e=n % 50) + ". ") * 2)
             for n in range(count)]  # fmt: skip
    feed = _rss(items)
    seconds, report = _ingest_seconds(feed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((len(feed), seconds, peak_mb, report))


def _feed_in_fresh_process(count: int) -> tuple[int, float, float, dict[str, object]]:
    """Feed size, seconds, peak MB and report of ingesting a ``count``-item feed."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_feed_child, args=(queue, count))
    child.start()
    result = queue.get(timeout=600)
    child.join()
    return result  # type: ignore[no-any-return]


def _refusals() -> tuple[float, float]:
    import uvicorn

    from dealscout.api.main import create_app
    from dealscout.core.config import get_settings
    from tests.support.factories import create_member, create_workspace, open_session
    from tests.support.rawhttp import time_to_refusal

    os.environ["DEALSCOUT_HOME"] = tempfile.mkdtemp(prefix="hostile-bench-")
    get_settings.cache_clear()
    session = open_session(get_settings())
    member = create_member(session, create_workspace(session, "acme"), "a@acme.test", "admin")
    session.close()
    config = uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=0, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        without, answer = time_to_refusal(port, size=BODY_BYTES)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:60]
        token = f"Authorization: Bearer {member.token}\r\n"
        with_token, answer = time_to_refusal(port, size=BODY_BYTES, headers=token)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:60]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return without, with_token


def run(quick: bool = False) -> list[dict[str, object]]:
    nested = _rss([("Nested", "<div>" * 200_000 + "Fennick Labs grows.")])
    nested_s, _ = _ingest_seconds(nested)
    rows: list[dict[str, object]] = [
        {"benchmark": "hostile", "metric": f"nested item ({len(nested) / 1e6:.1f} MB)",
         "value": round(nested_s, 2), "unit": "s", "target": "<= 5"},
    ]  # fmt: skip
    if not quick:
        size, seconds, peak_mb, report = _feed_in_fresh_process(ITEMS_13K)
        baseline_mb = _feed_in_fresh_process(1)[2]
        rows += [
            {"benchmark": "hostile", "metric": f"{ITEMS_13K}-item feed ({size / 1e6:.1f} MB)",
             "value": round(seconds, 2), "unit": "s", "target": "<= 60"},
            {"benchmark": "hostile", "metric": "13k-item feed peak memory",
             "value": round(peak_mb, 1), "unit": "MB", "target": "<= 300"},
            {"benchmark": "hostile", "metric": "1-item feed peak memory (baseline)",
             "value": round(baseline_mb, 1), "unit": "MB", "target": ""},
            {"benchmark": "hostile", "metric": "13k-item feed items kept",
             "value": report["fetched"], "unit": "items", "target": "cap"},
        ]  # fmt: skip
    without, with_token = _refusals()
    rows += [
        {"benchmark": "hostile", "metric": "50 MB body refused, no token",
         "value": round(without * 1000, 1), "unit": "ms", "target": "<= 1000"},
        {"benchmark": "hostile", "metric": "50 MB body refused, valid token",
         "value": round(with_token * 1000, 1), "unit": "ms", "target": "<= 1000"},
    ]  # fmt: skip
    return rows
