"""The rules brief on the demo workspace, ingested through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.briefs import cache
from dealscout.briefs.models import BriefCache
from dealscout.briefs.profile import get_profile, set_profile
from dealscout.briefs.rank import SignalView, profile_stems, ranked
from dealscout.briefs.schemas import Brief, WorkspaceProfile
from dealscout.briefs.service import account_brief, refresh_brief
from dealscout.core.config import Settings, get_settings
from dealscout.core.db import utcnow
from dealscout.core.errors import NotFound
from dealscout.deals.models import Deal
from dealscout.ingestion import service as ingestion
from dealscout.ingestion.models import Signal, SignalAccount
from tests.fixtures.briefs.world import DemoWorld, add_report, build_demo
from tests.support.factories import open_session

SECTIONS = [
    "Snapshot", "Why now", "Timeline", "People", "Hiring", "Talking points",
    "Discovery questions", "Open deal",
]  # fmt: skip


@pytest.fixture
def demo(any_db: str) -> Iterator[tuple[Session, Settings, DemoWorld]]:
    settings = get_settings()
    session = open_session(settings)
    world = build_demo(session)
    yield session, settings, world
    session.close()


def _stored_signal_ids(session: Session, account_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Signal.id)
            .join(SignalAccount, SignalAccount.signal_id == Signal.id)
            .where(SignalAccount.account_id == account_id, SignalAccount.status == "matched")
        )
    )


def _texts(brief: Brief, title: str) -> list[str]:
    return [i.text for s in brief.sections if s.title == title for i in s.items]


def test_every_demo_brief_is_complete_and_every_citation_resolves(demo) -> None:
    session, settings, world = demo
    for account in world.accounts.values():
        brief = account_brief(session, settings, account)
        assert brief.engine == "rules" and brief.account == account.name
        assert [s.title for s in brief.sections] == SECTIONS
        stored = _stored_signal_ids(session, account.id)
        listed = {s.id: s for s in brief.signals}
        for section in brief.sections:
            assert section.items, f"{account.name}: {section.title} is empty"
            if section.insufficient:
                assert section.items[0].text.startswith("Not enough evidence: no ")
            for item in section.items:
                for cited in item.citations:
                    assert cited in listed and cited in stored
        for signal in brief.signals:  # each citation resolves to a stored row, same facts
            row = session.get(Signal, signal.id)
            assert row is not None and row.status == "active"
            assert (signal.title, signal.url, signal.source) == (
                row.title,
                row.url,
                row.source_name,
            )
            assert signal.published_at == row.published_at and signal.age.endswith(("ago", "today"))
        assert set(listed) == {c for s in brief.sections for i in s.items for c in i.citations}


def test_demo_sections_say_what_the_data_supports(demo) -> None:
    session, settings, world = demo
    halvard = account_brief(session, settings, world.accounts["Halvard Freight"])
    assert any(
        "Ingrid Solberg" in t and "Chief Financial Officer" in t for t in _texts(halvard, "People")
    )
    assert "Funding" in " ".join(_texts(halvard, "Why now"))
    hiring = _texts(halvard, "Hiring")
    assert any(t.startswith("Trend: 3 hiring signals") for t in hiring)
    assert any(
        "Ledgerline automates accounts payable" in t for t in _texts(halvard, "Talking points")
    )
    assert (
        len(_texts(halvard, "Talking points")) <= 3
        and len(_texts(halvard, "Discovery questions")) <= 5
    )
    deal = _texts(halvard, "Open deal")
    assert deal[0].startswith("Halvard AP automation: stage qualify")
    assert "Missing exit criteria (qualify): timeline." in deal
    assert any(t.startswith("Last coach verdict: hold") for t in deal)
    assert any(
        "open deal: timeline is missing" in t for t in _texts(halvard, "Discovery questions")
    )
    assert "ICP fit: industry logistics matches" in " ".join(_texts(halvard, "Snapshot"))

    quillstone = account_brief(session, settings, world.accounts["Quillstone Bank"])
    assert quillstone.section("hiring").insufficient
    assert _texts(quillstone, "Hiring") == [
        "Not enough evidence: no job posts or hiring news in the last 90 days."
    ]
    corvid = account_brief(session, settings, world.accounts["Corvid Analytics"])
    assert _texts(corvid, "Open deal") == ["Not enough evidence: no open deal for this account."]
    assert "Mentions competitor Spendwise" in " ".join(_texts(corvid, "Talking points"))


def test_a_flagged_document_is_shown_flagged_and_never_drives_advice(demo) -> None:
    session, settings, world = demo
    brief = account_brief(session, settings, world.accounts["Orchard Robotics"])
    flagged = [s for s in brief.signals if s.suspicious]
    assert len(flagged) == 1
    timeline = " ".join(_texts(brief, "Timeline"))
    assert "[flagged: the document contains instructions aimed at AI tools]" in timeline
    for title in ("Why now", "Talking points", "Discovery questions", "Snapshot"):
        cited = {
            c for s in brief.sections if s.title == title for i in s.items for c in i.citations
        }
        assert flagged[0].id not in cited
    assert "signed a contract" not in brief.model_dump_json()


def test_an_account_without_signals_says_so_plainly(demo) -> None:
    session, settings, world = demo
    account = Account(workspace_id=world.workspace.id, name="Quiet Co")
    session.add(account)
    session.flush()
    brief = account_brief(session, settings, account)
    assert brief.signals == []
    for section_id in ("why_now", "timeline", "people", "hiring", "talking_points", "questions"):
        assert brief.section(section_id).insufficient, section_id
    assert _texts(brief, "Why now") == ["Not enough evidence: no signals in the last 90 days."]


def test_older_signals_weigh_less() -> None:
    now = utcnow()
    profile_terms = profile_stems(WorkspaceProfile(value_proposition="Payables automation"))

    def view(signal_id: int, days: int) -> SignalView:
        when = now - timedelta(days=days)
        return SignalView(signal_id, "funding", 0.9, "Acme raises Series B", "", None, when, when,
                          "wire", False, {})  # fmt: skip

    order = ranked([view(1, 80), view(2, 3), view(3, 30)], now, profile_terms)
    assert [s.id for s in order] == [2, 3, 1]


def test_cache_serves_until_signals_deal_or_profile_change(demo) -> None:
    session, settings, world = demo
    account = world.accounts["Halvard Freight"]
    first = refresh_brief(session, settings, account.id)
    assert first.regenerated and first.engine == "rules"
    again = refresh_brief(session, settings, account.id)
    assert not again.regenerated and again.fingerprint == first.fingerprint
    assert account_brief(session, settings, account).generated_at == (
        session.scalar(select(BriefCache.generated_at).where(BriefCache.account_id == account.id))
    )

    source = ingestion.source_for(session, world.workspace.id, "demo:extra", account.id)
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Extra</title><item>'
        b"<title>Halvard Freight opens a Hamburg office</title>"
        b"<link>https://www.halvardfreight.example/news/hamburg</link>"
        b"<description>Halvard Freight opened an office in Hamburg to serve German shippers."
        b"</description></item></channel></rss>"
    )
    ingestion.ingest_bytes(session, source, rss, "application/rss+xml", None)
    assert refresh_brief(session, settings, account.id).regenerated
    assert not refresh_brief(session, settings, account.id).regenerated

    deal = session.scalar(select(Deal).where(Deal.account_id == account.id))
    add_report(
        session, deal, "Follow-up call.", verdict="advance",
        met={"timeline": "a decision before April"}, missing=[], risks=[], questions={},
    )  # fmt: skip
    assert refresh_brief(session, settings, account.id).regenerated
    brief = account_brief(session, settings, account)
    deal_texts = _texts(brief, "Open deal")
    assert "Last coach verdict: advance" in " ".join(deal_texts)
    assert "Missing exit criteria (qualify): none." in deal_texts  # met across both notes

    manager = next(m for m in world.members.values() if m.user.role == "manager")
    profile = get_profile(session, world.workspace.id)
    set_profile(session, manager.user, profile.model_copy(update={"product": "Ledgerline 2"}))
    assert refresh_brief(session, settings, account.id).regenerated
    assert session.scalar(select(func.count(BriefCache.id))) == 1


def test_a_stale_cache_row_is_regenerated(demo) -> None:
    session, settings, world = demo
    account = world.accounts["Lumenfield Health"]
    refresh_brief(session, settings, account.id)
    row = session.scalar(select(BriefCache).where(BriefCache.account_id == account.id))
    row.generated_at = utcnow() - cache.MAX_AGE - timedelta(minutes=1)
    session.flush()
    assert refresh_brief(session, settings, account.id).regenerated


def test_refresh_of_an_unknown_account_is_not_found(demo) -> None:
    session, settings, _ = demo
    with pytest.raises(NotFound):
        refresh_brief(session, settings, 999_999)
