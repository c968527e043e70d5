"""Daily digests for 1,000 reps: build every digest (queue, follow-ups, today's briefs) and
deliver each by email to a real SMTP server (aiosmtpd) on loopback.

Each rep owns 10 accounts and 3 open deals (one with an unanswered proposal); the queue
ranks the accounts on fit and deals (no signals are seeded here; the queue bench covers
signal-heavy ranking).
"""

from __future__ import annotations

import random
import socket
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import insert, select

from dealscout.accounts.bootstrap import ensure_schema
from dealscout.accounts.models import Account, User, Workspace
from dealscout.core.config import Settings
from dealscout.core.db import get_sessionmaker, utcnow
from dealscout.deals.models import Deal, StageChange
from dealscout.flows import digests
from dealscout.flows.models import DigestSubscription

REPS, QUICK_REPS = 1_000, 100
ACCOUNTS_PER_REP, DEALS_PER_REP = 10, 3


class _Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(settings: Settings, reps: int) -> None:
    rng = random.Random(5)
    session = get_sessionmaker(settings.sqlalchemy_url)()
    workspace = Workspace(name="bench", profile={}, queue_weights={})
    session.add(workspace)
    session.flush()
    session.execute(insert(User), [
        {"workspace_id": workspace.id, "email": f"rep{i}@bench.test", "role": "rep", "name": ""}
        for i in range(reps)
    ])  # fmt: skip
    users = list(session.scalars(select(User.id).where(User.workspace_id == workspace.id)))
    session.execute(insert(Account), [
        {"workspace_id": workspace.id, "name": f"Account {u}-{k}", "owner_id": u, "aliases": [],
         "industry": rng.choice(["logistics", "retail"]), "employee_count": rng.randint(50, 9000)}
        for u in users for k in range(ACCOUNTS_PER_REP)
    ])  # fmt: skip
    accounts = session.execute(select(Account.id, Account.owner_id)).all()
    today, now = utcnow().date(), utcnow()
    deals = [
        {"workspace_id": workspace.id, "account_id": a, "owner_id": o, "name": f"Deal {a}",
         "stage": "propose", "amount": 10_000.0, "currency": "USD", "contacts": [],
         "proposal_sent_on": today - timedelta(days=rng.randint(0, 20)),
         "last_buyer_activity": today - timedelta(days=rng.randint(0, 40))}
        for a, o in accounts[:: ACCOUNTS_PER_REP // DEALS_PER_REP][: reps * DEALS_PER_REP]
    ]  # fmt: skip
    session.execute(insert(Deal), deals)
    session.execute(insert(StageChange), [
        {"workspace_id": workspace.id, "deal_id": d, "to_stage": "propose", "changed_at": now,
         "source": "import"}
        for d in session.scalars(select(Deal.id))
    ])  # fmt: skip
    session.execute(insert(DigestSubscription), [
        {"workspace_id": workspace.id, "user_id": u, "daily": True, "weekly": False, "email": True}
        for u in users
    ])  # fmt: skip
    session.commit()
    session.close()


def run(quick: bool = False) -> list[dict[str, object]]:
    reps = QUICK_REPS if quick else REPS
    inbox, port = _Counter(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as home:
            settings = Settings(home=Path(home), smtp_host="127.0.0.1", smtp_port=port)
            ensure_schema(settings)
            _seed(settings, reps)
            session = get_sessionmaker(settings.sqlalchemy_url)()
            started, started_cpu = time.perf_counter(), time.process_time()
            queued = digests.schedule_digests(session, "daily")
            session.commit()
            built = time.perf_counter() - started
            report = digests.deliver_due(session, settings)
            total = time.perf_counter() - started
            cpu = time.process_time() - started_cpu
            session.close()
    finally:
        controller.stop()
    assert queued == reps and report.sent == reps and inbox.received == reps, (queued, report)
    return [
        {"benchmark": "digests", "metric": f"build {reps:,} daily digests",
         "value": round(built, 2), "unit": "s", "target": ""},
        {"benchmark": "digests", "metric": f"build + email {reps:,} daily digests",
         "value": round(total, 2), "unit": "s", "target": "<= 60 s"},
        {"benchmark": "digests", "metric": "  the same, CPU time (incl. the SMTP server thread)",
         "value": round(cpu, 2), "unit": "s", "target": ""},
    ]  # fmt: skip
