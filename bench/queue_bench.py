"""Prospecting queue at scale: full recompute, absorbing one signal, ``GET /v1/queue`` p95.

Full size: 10,000 accounts (20 reps × 500) with 1,000,000 signals over the last year, seeded
straight into a temporary SQLite store with Core executemany inserts. The API runs under
uvicorn in a thread on a free loopback port and is called over real HTTP.
"""

from __future__ import annotations

import gc
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import numpy as np
import uvicorn
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dealscout.accounts import auth
from dealscout.accounts.bootstrap import ensure_schema
from dealscout.accounts.models import Account, User, Workspace
from dealscout.api.main import create_app
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, utcnow
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.queue.store import add_signals, recompute_workspace

REPS = 20
TYPES = [
    "funding",
    "executive_hire",
    "hiring",
    "earnings",
    "strategic_initiative",
    "expansion",
    "product_launch",
    "partnership",
    "layoffs",
    "other",
]
EXEC_TITLES = ["CFO", "CTO", "VP Sales", "Head of Procurement", "Chief People Officer"]
DEPARTMENTS = ["finance", "engineering", "sales", "operations", "marketing"]
PROFILE = {
    "ideal_customer_profile": {
        "industries": ["logistics", "healthcare", "manufacturing", "retail"],
        "employees_min": 500,
        "employees_max": 10000,
        "regions": ["NA", "EMEA"],
    },
    "personas": [{"title": "CFO"}, {"title": "Head of Procurement"}],
}
INDUSTRIES = ["logistics", "healthcare", "manufacturing", "retail", "software", "banking"]
REGIONS = ["NA", "EMEA", "APAC", "LATAM"]


def _row(metric: str, value: float, unit: str, target: str) -> dict[str, object]:
    return {
        "benchmark": "queue",
        "metric": metric,
        "value": round(value, 2),
        "unit": unit,
        "target": target,
    }


def _batched(rows: Iterator[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _seed(session: Session, accounts: int, signals: int) -> tuple[Workspace, list[User]]:
    rng = random.Random(1)
    workspace = Workspace(name="bench", profile=PROFILE, queue_weights={})
    session.add(workspace)
    session.flush()
    users = [
        User(workspace_id=workspace.id, email=f"rep{i}@bench.test", role="rep") for i in range(REPS)
    ]
    users.append(User(workspace_id=workspace.id, email="mgr@bench.test", role="manager"))
    session.add_all(users)
    session.flush()
    session.execute(
        insert(Account),
        [
            {
                "workspace_id": workspace.id,
                "name": f"Account {i:05d}",
                "owner_id": users[i % REPS].id,
                "industry": rng.choice(INDUSTRIES),
                "employee_count": rng.randint(50, 20_000),
                "region": rng.choice(REGIONS),
                "tier": rng.choice("123"),
                "aliases": [],
            }
            for i in range(accounts)
        ],
    )
    account_ids = list(
        session.scalars(select(Account.id).where(Account.workspace_id == workspace.id))
    )
    session.execute(
        insert(Source),
        [
            {
                "workspace_id": workspace.id,
                "url": f"https://feeds.example/{i}",
                "name": f"Feed {i}",
                "reliability": rng.uniform(0.5, 1.0),
            }
            for i in range(100)
        ],
    )
    source_ids = list(session.scalars(select(Source.id).where(Source.workspace_id == workspace.id)))
    now = utcnow()
    first_id = 1 + (session.scalar(select(Signal.id).order_by(Signal.id.desc()).limit(1)) or 0)

    def signal_rows() -> Iterator[dict[str, Any]]:
        for n in range(signals):
            kind = rng.choice(TYPES)
            at = now - timedelta(days=rng.uniform(0, 365))
            facts = {
                "hiring": {"role": "Analyst", "department": rng.choice(DEPARTMENTS)},
                "executive_hire": {"title": rng.choice(EXEC_TITLES)},
            }.get(kind, {})
            yield {
                "id": first_id + n,
                "workspace_id": workspace.id,
                "source_id": rng.choice(source_ids),
                "status": "active",
                "title": f"{kind} item {n}",
                "published_at": at,
                "first_seen_at": at,
                "type": kind,
                "confidence": rng.uniform(0.4, 1.0),
                "facts": facts,
                "secondary": [],
                "warnings": [],
            }

    for batch in _batched(signal_rows()):
        session.execute(insert(Signal), batch)
    links = (
        {
            "workspace_id": workspace.id,
            "signal_id": first_id + n,
            "account_id": account_ids[n % len(account_ids)],
            "status": "matched",
        }
        for n in range(signals)
    )
    for batch in _batched(links):
        session.execute(insert(SignalAccount), batch)
    session.commit()
    return workspace, users


def _absorb_one(session: Session, workspace: Workspace, account_id: int) -> float:
    """Store one new signal for an account and refresh its row, as ``after_ingest`` does."""
    started = time.perf_counter()
    signal = Signal(
        workspace_id=workspace.id,
        status="active",
        title="New CFO appointed",
        published_at=utcnow(),
        first_seen_at=utcnow(),
        type="executive_hire",
        confidence=0.9,
        facts={"title": "CFO"},
    )
    session.add(signal)
    session.flush()
    session.add(
        SignalAccount(
            workspace_id=workspace.id, signal_id=signal.id, account_id=account_id, status="matched"
        )
    )
    session.flush()
    add_signals(session, [signal.id], [account_id])
    session.commit()
    return (time.perf_counter() - started) * 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(settings: Settings) -> Iterator[str]:
    port = _free_port()
    unlimited = settings.model_copy(update={"token_requests_per_minute": 0})  # a benchmark
    app = create_app(unlimited)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _p95(call: Callable[[], object], count: int) -> float:
    call()  # warm-up
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 95))


def _get(client: httpx.Client, token: str, **params: object) -> Callable[[], object]:
    def call() -> object:
        response = client.get(
            "/v1/queue", params=params, headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        return response.json()

    return call


def run(quick: bool) -> list[dict[str, object]]:
    accounts, signals = (500, 20_000) if quick else (10_000, 1_000_000)
    size = f"{accounts:,} accounts, {signals:,} signals"
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(DEALSCOUT_HOME=home, DATABASE_URL=None)
        ensure_schema(settings)
        session = get_sessionmaker(settings.sqlalchemy_url)()
        started = time.perf_counter()
        workspace, users = _seed(session, accounts, signals)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        recompute_workspace(session, workspace.id)
        session.commit()
        recompute = time.perf_counter() - started
        account_ids = list(session.scalars(select(Account.id).order_by(Account.id).limit(20)))
        absorb = [_absorb_one(session, workspace, a) for a in account_ids]
        rep_token = auth.issue_token(session, users[0])[1]
        manager_token = auth.issue_token(session, users[-1])[1]
        session.commit()
        session.close()
        requests = 20 if quick else 50
        gc.collect()
        gc.freeze()  # as `dealscout serve` does after start-up (also parks the seed's objects)
        with _server(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
            rep_p95 = _p95(_get(client, rep_token), requests)
            filtered_p95 = _p95(_get(client, rep_token, type="funding", region="NA"), requests)
            team_p95 = _p95(_get(client, manager_token), requests)
        gc.unfreeze()
    per_rep = accounts // REPS
    return [
        _row(f"seed ({size}, SQLite)", seeded, "s", ""),
        _row(f"full recompute ({size})", recompute, "s", "<= 30"),
        _row("absorb one new signal (median)", float(np.median(absorb)), "ms", "<= 50"),
        _row("absorb one new signal (max)", max(absorb), "ms", "<= 50"),
        _row(f"GET /v1/queue p95 (rep, {per_rep} accts)", rep_p95, "ms", "<= 100"),
        _row("GET /v1/queue p95 (rep, type+region)", filtered_p95, "ms", "<= 100"),
        _row(f"GET /v1/queue p95 (manager, {accounts} accts)", team_p95, "ms", "<= 100"),
    ]
