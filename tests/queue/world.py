"""Demo-like queue data built from SQL rows: two workspaces, a manager, two reps, signals."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, Workspace
from dealscout.core.db import utcnow
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.queue.store import recompute_workspace
from tests.support.factories import Member, create_account, create_member, create_workspace

NOW = utcnow().replace(microsecond=0)
PROFILE = {
    "product": "Ledgerline",
    "ideal_customer_profile": {
        "industries": ["logistics", "healthcare"],
        "employees_min": 500,
        "employees_max": 10000,
        "regions": ["NA", "EMEA"],
    },
    "personas": [{"title": "CFO"}, {"title": "Head of Procurement"}],
}
_urls = itertools.count()


def add_signal(
    session: Session,
    account: Account,
    signal_type: str,
    *,
    days_ago: float,
    confidence: float = 0.9,
    reliability: float = 1.0,
    title: str | None = None,
    facts: dict[str, Any] | None = None,
) -> Signal:
    source = Source(
        workspace_id=account.workspace_id,
        account_id=account.id,
        url=f"https://news.example/{next(_urls)}",
        name="Wire",
        reliability=reliability,
    )
    session.add(source)
    session.flush()
    published = NOW - timedelta(days=days_ago)
    signal = Signal(
        workspace_id=account.workspace_id,
        source_id=source.id,
        status="active",
        title=title or f"{account.name}: {signal_type} news",
        source_name="Wire",
        published_at=published,
        first_seen_at=published,
        type=signal_type,
        confidence=confidence,
        facts=facts or {},
    )
    session.add(signal)
    session.flush()
    session.add(
        SignalAccount(
            workspace_id=account.workspace_id,
            signal_id=signal.id,
            account_id=account.id,
            status="matched",
        )
    )
    session.flush()
    return signal


@dataclass
class World:
    acme: Workspace
    other: Workspace
    members: dict[str, Member]
    accounts: dict[str, Account]
    signals: dict[str, Signal]


def build_world(session: Session) -> World:
    acme, other = create_workspace(session, "acme"), create_workspace(session, "other")
    acme.profile = PROFILE
    members = {
        "manager": create_member(session, acme, "mgr@acme.test", "manager"),
        "rep1": create_member(session, acme, "rep1@acme.test", "rep"),
        "rep2": create_member(session, acme, "rep2@acme.test", "rep"),
        "outsider": create_member(session, other, "boss@other.test", "admin"),
    }
    fields = {
        "halvard": ("rep1", "Halvard Freight", "logistics", 1800, "EMEA", "1"),
        "quill": ("rep1", "Quillstone Bank", "financial services", 9500, "NA", "2"),
        "orchard": ("rep1", "Orchard Robotics", "manufacturing", 650, "APAC", "2"),
        "lumen": ("rep2", "Lumenfield Health", "healthcare", 4200, "NA", "1"),
        "theirs": ("outsider", "Other Co", "logistics", 2000, "NA", "1"),
    }
    accounts = {
        key: create_account(
            session,
            members[owner],
            name,
            industry=industry,
            employee_count=size,
            region=region,
            tier=tier,
        )
        for key, (owner, name, industry, size, region, tier) in fields.items()
    }
    a = accounts
    signals = {
        "halvard_funding": add_signal(
            session,
            a["halvard"],
            "funding",
            days_ago=2,
            title="Halvard Freight raises $40M Series C",
            facts={"round": "Series C", "amount": {"raw": "$40M"}},
        ),
        "halvard_hiring": add_signal(
            session,
            a["halvard"],
            "hiring",
            days_ago=5,
            title="Accounts Payable Specialist",
            facts={"role": "Accounts Payable Specialist", "department": "finance"},
        ),
        "quill_exec": add_signal(
            session,
            a["quill"],
            "executive_hire",
            days_ago=1,
            title="Quillstone Bank names Dana Reyes CFO",
            facts={"person": "Dana Reyes", "title": "CFO"},
        ),
        "orchard_layoffs": add_signal(session, a["orchard"], "layoffs", days_ago=3),
        "lumen_funding": add_signal(session, a["lumen"], "funding", days_ago=10),
        "lumen_initiative": add_signal(session, a["lumen"], "strategic_initiative", days_ago=20),
        "theirs_funding": add_signal(session, a["theirs"], "funding", days_ago=1, confidence=1.0),
    }
    recompute_workspace(session, acme.id)
    recompute_workspace(session, other.id)
    session.commit()
    return World(acme, other, members, accounts, signals)
