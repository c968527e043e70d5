"""Pipeline analytics at scale: every metric for 100,000 deals (5 stage changes and 3
coached notes each) on SQLite, seeded with the tests' pipeline generator."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from dealscout.accounts.bootstrap import ensure_schema
from dealscout.accounts.models import User, Workspace
from dealscout.analytics.schemas import AnalyticsFilters
from dealscout.analytics.service import compute_analytics
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, utcnow
from tests.support.pipeline import generate, seed

DEALS, QUICK_DEALS = 100_000, 10_000


def run(quick: bool = False) -> list[dict[str, object]]:
    deals = QUICK_DEALS if quick else DEALS
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        ensure_schema(settings)
        session = get_sessionmaker(settings.sqlalchemy_url)()
        workspace = Workspace(name="bench", profile={}, queue_weights={})
        session.add(workspace)
        session.flush()
        manager = User(workspace_id=workspace.id, email="mgr@bench.test", role="manager")
        session.add(manager)
        session.flush()
        now = utcnow()
        started = time.perf_counter()
        seed(session, workspace, generate(deals, 50, now, exact_changes=5, notes=3), manager)
        session.commit()
        seeded = time.perf_counter() - started
        filters = AnalyticsFilters(since=now - timedelta(days=365), until=now)
        timings, cpu = [], []
        for _ in range(3):
            started, started_cpu = time.perf_counter(), time.process_time()
            compute_analytics(session, manager, filters, now=now)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            session.rollback()
        session.close()
    return [
        {"benchmark": "analytics", "metric": f"seed {deals:,} deals", "value": round(seeded, 2),
         "unit": "s", "target": ""},
        {"benchmark": "analytics", "metric": f"all metrics, {deals:,} deals (median of 3)",
         "value": round(statistics.median(timings), 3), "unit": "s", "target": "<= 2 s"},
        {"benchmark": "analytics", "metric": "  the same, CPU time of the process",
         "value": round(statistics.median(cpu), 3), "unit": "s", "target": ""},
    ]  # fmt: skip
