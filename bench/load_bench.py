"""Open-loop mixed load on a running ``dealscout serve`` while its worker ingests.

A fixed rate of 20 requests/s for 60 s (``--quick``: 15 s), each sent at its scheduled
time whatever the earlier ones are doing (open loop: a slow server cannot slow the arrivals
down): per second 10 briefs (``GET /v1/accounts/{id}/brief``), 6 queues (``GET /v1/queue``)
and 4 coached notes (``POST /v1/deals/{id}/notes``). Meanwhile a new source of 20 fresh
stories naming the demo accounts is added every 2 s; the beat (polling every 2 s) queues it
and the worker ingests it, so briefs go stale and are rebuilt under load. Everything runs
on loopback in a temporary home.

Embedded default: ``dealscout serve`` (SQLite, filesystem broker, worker in the process).
With ``DATABASE_URL`` and ``CELERY_BROKER_URL`` set (a database whose name contains
``test``, your own Redis db): PostgreSQL and Redis, ``serve --no-embedded-worker`` plus a
``dealscout worker`` and a ``dealscout beat`` process. Targets: 0 errors; p95 brief ≤ 1 s
embedded, ≤ 300 ms on PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import create_engine, text

from dealscout.core.config import normalize_database_url
from tests.support.httpserver import LoopbackServer, Reply, Request
from tests.support.serve import CLI, free_port
from tests.support.waiting import wait_until

RATE = 20
MIX = ["brief"] * 10 + ["queue"] * 6 + ["note"] * 4
NOTE = (
    "Call with Ingrid Solberg (CFO). Budget of EUR 150k is approved and she signs. "
    "Agreed next step: demo on Tuesday at 10:00."
)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1


class FreshFeed:
    """Each fetch answers 20 new stories, each naming a demo account."""

    def __init__(self, accounts: list[str]) -> None:
        self.accounts = accounts
        self.counter = itertools.count()
        self.rng = random.Random(7)
        self.lock = threading.Lock()

    def __call__(self, _request: Request) -> Reply:
        stamp = format_datetime(datetime.now(UTC))
        items = []
        with self.lock:
            for _ in range(20):
                n = next(self.counter)
                name = self.rng.choice(self.accounts)
                words = " ".join(f"w{self.rng.randrange(5000)}" for _ in range(30))
                items.append(
                    f"<item><title>{name} expands team {n} in region {n % 97}</title>"
                    f"<link>https://wire.example/{n}</link><guid>fresh-{n}</guid>"
                    f"<pubDate>{stamp}</pubDate><description>{name} said {words}.</description>"
                    "</item>"
                )
        channel = f"<channel><title>wire</title>{''.join(items)}</channel>"
        body = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
        return Reply(body=body.encode(), content_type="application/rss+xml")


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"dealscout {' '.join(args)}: {done.stderr[-500:]}")
    return done.stdout


@contextmanager
def _process(env: dict[str, str], log: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [*CLI, *args], env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"),
        start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _manager_token(demo_output: str) -> str:
    """``dealscout demo`` prints ``manager: EMAIL`` then ``token: T`` (then the rep's)."""
    lines = demo_output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("manager: "))
    return lines[at + 1].removeprefix("token: ")


def _reset_postgres(url: str) -> None:
    engine = create_engine(normalize_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _environment(home: Path) -> tuple[dict[str, str], str]:
    env = {**os.environ, "DEALSCOUT_HOME": str(home), "DEALSCOUT_ALLOW_PRIVATE_URLS": "1",
           "DEALSCOUT_POLL_INTERVAL": "2"}  # fmt: skip
    database, broker = env.get("DATABASE_URL"), env.get("CELERY_BROKER_URL")
    if database and broker:
        if "test" not in database.rsplit("/", 1)[-1]:
            raise RuntimeError("DATABASE_URL must name a database whose name contains 'test'")
        _reset_postgres(database)
        return env, "postgresql"
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env, "embedded"


def _schedule(
    base: str, headers: dict[str, str], targets: dict[str, list[int]], seconds: float
) -> Stats:
    """Send RATE requests/s at their scheduled times, each on a pool thread of its own."""
    stats = Stats()
    client = httpx.Client(base_url=base, headers=headers, timeout=60)
    kinds = itertools.cycle(MIX)
    rng = random.Random(3)

    def one(kind: str) -> None:
        start = time.perf_counter()
        try:
            if kind == "brief":
                answer = client.get(f"/v1/accounts/{rng.choice(targets['accounts'])}/brief")
            elif kind == "queue":
                answer = client.get("/v1/queue")
            else:
                deal = rng.choice(targets["deals"])
                answer = client.post(f"/v1/deals/{deal}/notes", json={"text": NOTE})
            ok = answer.status_code < 400
        except httpx.HTTPError:
            ok = False
        stats.record(kind, time.perf_counter() - start, ok)

    futures: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=200) as pool:
        started = time.perf_counter()
        for n in range(int(seconds * RATE)):
            delay = started + n / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, next(kinds)))
        for future in futures:
            future.result()
    client.close()
    return stats


def _add_sources(
    base: str, headers: dict[str, str], feeds: LoopbackServer, stop: threading.Event
) -> None:
    """A new source of fresh stories every 2 s, for the beat to queue and the worker to
    ingest during the load."""
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for n in itertools.count():
            if stop.wait(2.0):
                return
            try:
                client.post("/v1/sources", json={"url": feeds.url(f"/fresh/{n}.xml")})
            except httpx.HTTPError:
                continue  # an overloaded server: the request mix counts what matters


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def load_run(seconds: float) -> tuple[str, Stats, int]:
    """(mode, latencies and errors, feeds the worker fetched during the load)."""
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ds-load-")))
        env, mode = _environment(home)
        token = _manager_token(_cli(env, "demo"))
        headers = {"Authorization": f"Bearer {token}"}
        base_port = free_port()
        base = f"http://127.0.0.1:{base_port}"
        log = home / "processes.log"
        serve = ["serve", "--port", str(base_port)]
        if mode == "postgresql":
            serve.append("--no-embedded-worker")
            stack.enter_context(_process(env, log, "worker", "--concurrency", "2"))
            stack.enter_context(_process(env, log, "beat"))
        stack.enter_context(_process(env, log, *serve))
        if not wait_until(lambda: _healthy(base)):
            raise RuntimeError(f"serve did not start: {log.read_text()[-1000:]}")
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            accounts = client.get("/v1/accounts").json()
            deals = client.get("/v1/deals").json()
        targets = {"accounts": [a["id"] for a in accounts], "deals": [d["id"] for d in deals]}
        feeds = stack.enter_context(LoopbackServer())
        fresh = FreshFeed([a["name"] for a in accounts])
        for n in range(int(seconds)):
            feeds.add(f"/fresh/{n}.xml", fresh)
        stop = threading.Event()
        adder = threading.Thread(target=_add_sources, args=(base, headers, feeds, stop))
        adder.start()
        try:
            stats = _schedule(base, headers, targets, seconds)
        finally:
            stop.set()
            adder.join()
            kept = Path(tempfile.gettempdir()) / f"dealscout-load-{mode}.log"
            shutil.copyfile(log, kept)  # the processes' JSON logs outlive the home
            print(f"  processes' log: {kept}", file=sys.stderr)
        return mode, stats, feeds.hits()


def _row(mode: str, metric: str, value: object, unit: str, target: str = "") -> dict[str, object]:
    return {"benchmark": f"load {mode}", "metric": metric, "value": value, "unit": unit,
            "target": target}  # fmt: skip


def run(quick: bool = False) -> list[dict[str, object]]:
    seconds = 15.0 if quick else 60.0
    mode, stats, fetched = load_run(seconds)
    brief_target = "<= 0.3 s" if mode == "postgresql" else "<= 1 s"
    rows = []
    for kind in ("brief", "queue", "note"):
        values = np.array(stats.latencies.get(kind, [0.0]))
        rows.append(_row(mode, f"{kind} requests", len(values), "requests"))
        rows.append(_row(mode, f"{kind} p50", float(np.percentile(values, 50)), "s"))
        target = brief_target if kind == "brief" else ""
        rows.append(_row(mode, f"{kind} p95", float(np.percentile(values, 95)), "s", target))
        rows.append(_row(mode, f"{kind} max", float(values.max()), "s"))
    rows.append(_row(mode, "errors", sum(stats.errors.values()), "requests", "0"))
    rows.append(_row(mode, "feeds ingested meanwhile", fetched, "fetches"))
    return rows
