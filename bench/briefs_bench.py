"""Account briefs on an account with 1,000 signals (seeded straight into SQL, SQLite).

Rows: rules-brief latency (uncached), cached ``GET /v1/accounts/{id}/brief`` requests/s
over loopback HTTP (uvicorn in a thread), and the LLM engine's prompt size and calls per
brief against the loopback OpenAI-protocol server of ``tests/fakes``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
import yaml
from sqlalchemy import insert
from sqlalchemy.orm import Session

from dealscout.accounts import auth
from dealscout.accounts.bootstrap import ensure_schema, ensure_workspace_admin
from dealscout.accounts.models import Account
from dealscout.api.main import create_app
from dealscout.briefs.generate import generate_brief
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, utcnow
from dealscout.ingestion.models import Signal, SignalAccount
from tests.fakes.openai_server import FakeOpenAI, Reply

SIGNALS = 1_000
PROFILE = Path(__file__).resolve().parents[1] / "examples" / "profile.yaml"
TYPES = [
    "funding", "executive_hire", "hiring", "hiring", "hiring", "expansion", "earnings",
    "product_launch", "partnership", "strategic_initiative", "risk_event", "other",
]  # fmt: skip
ROLES = ["Senior Accountant", "AP Specialist", "Backend Engineer", "Sales Director", "Nurse"]


def _row(metric: str, value: float, unit: str, target: str) -> dict[str, object]:
    return {"benchmark": "briefs", "metric": metric, "value": value, "unit": unit, "target": target}


def _facts(i: int, type_: str) -> dict[str, Any]:
    if type_ == "executive_hire":
        return {"person": f"Person {i}", "title": "Chief Financial Officer"}
    if type_ == "hiring":
        role = ROLES[i % len(ROLES)]
        return {"role": role, "seniority": "senior" if "Senior" in role else None}
    if type_ == "funding":
        return {"round": "Series C", "amount": {"value": 85e6, "currency": "EUR", "raw": "€85M"}}
    return {}


def seed(session: Session, workspace_id: int) -> Account:
    account = Account(workspace_id=workspace_id, name="Bench Co", industry="logistics",
                      employee_count=1800, region="EMEA", domain="bench.example")  # fmt: skip
    session.add(account)
    session.flush()
    now = utcnow()
    summary = (
        "Bench Co said on Monday that it will modernise finance operations and accounts payable "
        "across its European network, hiring and investing in new systems. " * 2
    )
    rows = []
    for i in range(SIGNALS):
        type_ = TYPES[i % len(TYPES)]
        when = now - timedelta(hours=9 * i)  # spread over ~375 days
        rows.append(
            {
                "id": i + 1, "workspace_id": workspace_id, "status": "active", "kind": "entry",
                "url": f"https://news.bench.example/{i}", "title": f"Bench Co {type_} news {i}",
                "summary": summary, "text": summary * 3, "source_name": "Bench Wire",
                "published_at": when, "first_seen_at": when, "type": type_,
                "confidence": 0.8, "secondary": [], "facts": _facts(i, type_),
                "suspicious": i % 97 == 0, "warnings": [], "announced": True,
                "date_missing": False,
            }
        )  # fmt: skip
    session.execute(insert(Signal), rows)
    session.execute(
        insert(SignalAccount),
        [
            {"workspace_id": workspace_id, "signal_id": r["id"], "account_id": account.id,
             "status": "matched", "confidence": 1.0, "reason": "bench"}
            for r in rows
        ],
    )  # fmt: skip
    session.commit()
    return account


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def rules_latency(session: Session, settings: Settings, account: Account, n: int) -> list[float]:
    generate_brief(session, settings, account)  # warm caches outside the timing
    times = []
    for _ in range(n):
        started = time.perf_counter()
        generate_brief(session, settings, account)
        times.append((time.perf_counter() - started) * 1000)
    return times


def cached_get_rate(settings: Settings, account_id: int, token: str, seconds: float) -> float:
    unlimited = settings.model_copy(update={"token_requests_per_minute": 0})  # a benchmark
    config = uvicorn.Config(create_app(unlimited), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1/accounts/{account_id}/brief"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(headers=headers, timeout=30) as client:
            client.get(url).raise_for_status()  # fills the cache
            count, started = 0, time.perf_counter()
            while time.perf_counter() - started < seconds:
                client.get(url).raise_for_status()
                count += 1
            return count / (time.perf_counter() - started)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def llm_prompt(session: Session, settings: Settings, account: Account) -> tuple[float, int]:
    """(estimated prompt tokens, calls) for one LLM brief."""
    with FakeOpenAI() as fake:
        fake.script(Reply(json.dumps({"why_now": []})))
        llm_settings = settings.model_copy(
            update={"openai_base_url": fake.base_url, "openai_api_key": "bench"}
        )
        generate_brief(session, llm_settings, account)
        chars = sum(len(m["content"]) for r in fake.requests for m in r["messages"])
        return chars / 4 / max(1, len(fake.requests)), len(fake.requests)


def run(quick: bool = False) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(DEALSCOUT_HOME=home)
        ensure_schema(settings)
        session = get_sessionmaker(settings.sqlalchemy_url)()
        found = ensure_workspace_admin(session, "bench")
        found.workspace.profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
        _, token = auth.issue_token(session, found.admin, name="bench")
        account = seed(session, found.workspace.id)
        times = rules_latency(session, settings, account, 15 if quick else 60)
        session.commit()
        rate = cached_get_rate(settings, account.id, token, 2.0 if quick else 5.0)
        tokens, calls = llm_prompt(session, settings, account)
        session.close()
    return [
        _row("rules brief p50 (1,000 signals)", round(statistics.median(times), 1), "ms", ""),
        _row("rules brief p95 (1,000 signals)", round(_percentile(times, 95), 1), "ms", "<= 300"),
        _row("cached brief GET over HTTP", round(rate, 1), "req/s", ""),
        _row("LLM prompt tokens per brief (chars/4)", round(tokens), "tokens", "<= 4000"),
        _row("LLM calls per brief", calls, "calls", "1"),
    ]
