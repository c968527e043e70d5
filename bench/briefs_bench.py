"""Account briefs on an account with 1,000 signals (seeded straight into SQL, SQLite).

Rows: rules-brief latency (uncached); the cached ``GET /v1/accounts/{id}/brief?format=json``
under 20 concurrent keep-alive clients, next to an in-memory FastAPI app returning the same
bytes with the same bearer check, in the same run (``bench/load.py``), as requests/s, p95
and their ratios; and the LLM engine's prompt size and calls per brief against the
loopback OpenAI-protocol server of ``tests/fakes``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.load import LoadResult, load, percentile, server_process
from dealscout.accounts import auth
from dealscout.accounts.bootstrap import ensure_schema, ensure_workspace_admin
from dealscout.accounts.models import Account
from dealscout.briefs.generate import generate_brief
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, utcnow
from dealscout.ingestion.models import Signal, SignalAccount
from tests.fakes.openai_server import FakeOpenAI, Reply

SIGNALS = 1_000
CLIENTS = 20
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


def rules_latency(session: Session, settings: Settings, account: Account, n: int) -> list[float]:
    generate_brief(session, settings, account)  # warm caches outside the timing
    times = []
    for _ in range(n):
        started = time.perf_counter()
        generate_brief(session, settings, account)
        times.append((time.perf_counter() - started) * 1000)
    return times


def cached_get_side_by_side(
    home: str, account_id: int, token: str, seconds: float
) -> tuple[LoadResult, LoadResult]:
    """The cached JSON brief from dealscout and from the in-memory reference serving the
    same bytes behind the same bearer check, loaded alike in one run."""
    path = f"/v1/accounts/{account_id}/brief?format=json"
    with server_process("dealscout", home) as port:
        ours = load(port, path, token, clients=CLIENTS, seconds=seconds)
        body = httpx.get(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
        ).content
    body_file = Path(home) / "brief.json"
    body_file.write_bytes(body)
    with server_process("reference", str(body_file), auth.hash_token(token)) as port:
        reference = load(port, path, token, clients=CLIENTS, seconds=seconds)
    return ours, reference


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
        tokens, calls = llm_prompt(session, settings, account)
        session.close()
        ours, ref = cached_get_side_by_side(home, account.id, token, 3.0 if quick else 10.0)
    return [
        _row("rules brief p50 (1,000 signals)", round(statistics.median(times), 1), "ms", ""),
        _row("rules brief p95 (1,000 signals)", round(percentile(times, 95), 1), "ms", "<= 300"),
        _row(f"cached brief GET, {CLIENTS} clients", round(ours.rate, 1), "req/s", ""),
        _row("  in-memory FastAPI reference", round(ref.rate, 1), "req/s", ""),
        _row("  ratio dealscout/reference", round(ours.rate / ref.rate, 2), "x", ">= 0.7"),
        _row("cached brief GET p95", round(ours.p95_ms, 1), "ms", ""),
        _row("  reference p95", round(ref.p95_ms, 1), "ms", ""),
        _row("  p95 ratio dealscout/reference", round(ours.p95_ms / ref.p95_ms, 2), "x", "<= 2"),
        _row("cached brief GET errors", ours.errors, "responses", "0"),
        _row("LLM prompt tokens per brief (chars/4)", round(tokens), "tokens", "<= 4000"),
        _row("LLM calls per brief", calls, "calls", "1"),
    ]
