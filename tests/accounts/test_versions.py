"""An account's version moves with everything its brief reads, and with nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.briefs.profile import get_profile, set_profile
from dealscout.core.config import get_settings
from dealscout.deals.models import Deal
from dealscout.ingestion import service as ingestion
from tests.fixtures.briefs.world import DemoWorld, add_report, build_demo
from tests.support.factories import open_session

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
    b"<title>Halvard Freight opens a Hamburg office</title>"
    b"<link>https://www.halvardfreight.example/news/hamburg-2</link>"
    b"<description>Halvard Freight opened an office in Hamburg to serve German shippers."
    b"</description></item></channel></rss>"
)


Versions = dict[str, tuple[int, object]]


@pytest.fixture
def world(any_db: str) -> Iterator[tuple[Session, DemoWorld]]:
    session = open_session(get_settings())
    yield session, build_demo(session)
    session.close()


def _versions(session: Session) -> Versions:
    session.commit()
    rows = session.execute(select(Account.name, Account.version, Account.updated_at))
    return {name: (version, updated) for name, version, updated in rows}


def _moved(before: Versions, after: Versions, edited: str | None = None) -> set[str]:
    for name, (version, updated) in after.items():
        if name != edited:  # a bump leaves the record's own timestamp alone
            assert updated == before[name][1]
        assert version >= before[name][0]
    return {name for name in after if after[name][0] != before[name][0]}


def test_ingest_moves_only_the_matched_account(world) -> None:
    session, demo = world
    account = demo.accounts["Halvard Freight"]
    before = _versions(session)
    source = ingestion.source_for(session, demo.workspace.id, "demo:versions", account.id)
    ingestion.ingest_bytes(session, source, RSS, "application/rss+xml", None)
    assert _moved(before, _versions(session)) == {"Halvard Freight"}


def test_deal_and_coach_report_writes_move_their_account(world) -> None:
    session, demo = world
    deal = session.scalar(
        select(Deal).where(Deal.account_id == demo.accounts["Halvard Freight"].id)
    )
    before = _versions(session)
    deal.name += " (renamed)"
    after = _versions(session)
    assert _moved(before, after) == {"Halvard Freight"}
    add_report(
        session, deal, "Call.", verdict="advance", met={}, missing=[], risks=[], questions={}
    )
    assert _moved(after, _versions(session)) == {"Halvard Freight"}


def test_a_profile_change_moves_every_account_of_the_workspace(world) -> None:
    session, demo = world
    before = _versions(session)
    manager = next(m for m in demo.members.values() if m.user.role == "manager")
    profile = get_profile(session, demo.workspace.id)
    set_profile(session, manager.user, profile.model_copy(update={"product": "Other"}))
    assert _moved(before, _versions(session)) == set(before)


def test_editing_the_account_moves_it_once(world) -> None:
    session, demo = world
    before = _versions(session)
    demo.accounts["Lumenfield Health"].industry = "hospitals"
    after = _versions(session)
    assert _moved(before, after, edited="Lumenfield Health") == {"Lumenfield Health"}
    assert after["Lumenfield Health"][0] == before["Lumenfield Health"][0] + 1
