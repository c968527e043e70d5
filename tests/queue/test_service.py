"""The queue's domain functions: exact explanations, incremental updates, decay, paging."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealscout.core.config import get_settings
from dealscout.flows import ingest as ingest_flow
from dealscout.flows.ingest import update_source
from dealscout.ingestion import service as ingestion
from dealscout.ingestion.source_schemas import SourceUpdate
from dealscout.queue.models import AccountScore
from dealscout.queue.schemas import Queue, QueueFilters, QueueItem
from dealscout.queue.service import build_queue
from dealscout.queue.store import add_signals, recompute_workspace, refresh_accounts
from tests.queue.world import NOW, World, add_signal, build_world
from tests.support.factories import create_account, open_session


@pytest.fixture
def session(any_db: str) -> Iterator[Session]:
    db = open_session(get_settings())
    yield db
    db.close()


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def _team(session: Session, world: World, **filters: object) -> Queue:
    manager = world.members["manager"].user
    return build_queue(session, manager, filters=QueueFilters(**filters), now=NOW)  # type: ignore[arg-type]


def _item(queue: Queue, account_id: int) -> QueueItem:
    return next(i for i in queue.items if i.account_id == account_id)


def test_contributions_sum_exactly_and_the_ranking_is_explained(
    session: Session, world: World
) -> None:
    queue = _team(session, world)
    assert [i.rank for i in queue.items] == [1, 2, 3, 4]
    assert [i.score for i in queue.items] == sorted((i.score for i in queue.items), reverse=True)
    for item in queue.items:
        assert round(sum(c.value for c in item.contributions), 4) == item.score
        kinds = [c.kind for c in item.contributions]
        assert {"fit", "deal", "contact", "snooze"} <= set(kinds)
        for reason in item.reasons:
            if reason.kind == "signal":
                assert reason.citations and reason.citations[0] in {
                    c.signal_id for c in item.contributions
                }
    halvard = _item(queue, world.accounts["halvard"].id)
    top = halvard.reasons[0]
    assert top.kind == "signal" and top.citations == [world.signals["halvard_funding"].id]
    assert top.text.startswith("Funding: Halvard Freight raises $40M Series C (Wire, ")
    assert "$40M Series C" in (halvard.opening_line or "")
    fit = next(r for r in halvard.reasons if r.kind == "fit")
    assert fit.text == (
        "Fits the ideal customer profile: logistics industry, 1,800 employees, EMEA region."
    )


def test_removing_the_top_signal_lowers_the_score_by_its_shown_contribution(
    session: Session, world: World
) -> None:
    halvard = world.accounts["halvard"].id
    before = _item(_team(session, world), halvard)
    top = before.reasons[0]
    signal = session.get_one(type(world.signals["halvard_funding"]), top.citations[0])
    signal.status = "duplicate"
    refresh_accounts(session, [halvard])
    after = _item(_team(session, world), halvard)
    assert after.score == round(before.score - top.value, 4)
    assert top.citations[0] not in {c.signal_id for c in after.contributions}


def test_served_roles_and_executive_hires_are_favoured(session: Session, world: World) -> None:
    acme_rep = world.members["rep1"]
    plain = create_account(session, acme_rep, "Plain Co")
    served = create_account(session, acme_rep, "Served Co")
    add_signal(session, plain, "hiring", days_ago=1, facts={"department": "engineering"})
    add_signal(session, served, "hiring", days_ago=1, facts={"department": "finance"})
    refresh_accounts(session, [plain.id, served.id])
    queue = _team(session, world)
    assert _item(queue, served.id).score == pytest.approx(
        2 * _item(queue, plain.id).score, abs=2e-4
    )
    cfo = world.signals["quill_exec"].id
    quill = _item(queue, world.accounts["quill"].id)
    cfo_value = next(c.value for c in quill.contributions if c.signal_id == cfo)
    assert cfo_value == pytest.approx(3.0 * 2.0 * 0.9 * 0.5 ** (1 / 30), abs=1e-4)


def test_a_new_signal_updates_one_row_and_matches_a_full_recompute(
    session: Session, world: World
) -> None:
    orchard = world.accounts["orchard"]
    stamps = dict(
        session.execute(select(AccountScore.account_id, AccountScore.computed_at)).tuples().all()
    )
    source = ingestion.source_for(session, world.acme.id, "local:orchard.xml", orchard.id)
    feed = (
        "<rss version='2.0'><channel><title>Orchard news</title><item>"
        "<title>Orchard Robotics raises $25 million Series B led by Northwind Ventures</title>"
        "<link>https://news.example/orchard-b</link>"
        f"<pubDate>{NOW:%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
        "<description>Orchard Robotics, the warehouse robot maker, raised a $25 million "
        "Series B round led by Northwind Ventures to expand into Europe.</description>"
        "</item></channel></rss>"
    ).encode()
    report = ingestion.ingest_bytes(session, source, feed, "application/rss+xml", None)
    assert report.new == 1 and report.account_ids == [orchard.id]
    ingest_flow.after_ingest(session, report.new_signal_ids, report.account_ids)
    after = dict(
        session.execute(select(AccountScore.account_id, AccountScore.computed_at)).tuples().all()
    )
    changed = {a for a in after if after[a] != stamps[a]}
    assert changed == {orchard.id}
    incremental = _team(session, world)
    new_id = report.new_signal_ids[0]
    assert new_id in {c.signal_id for c in _item(incremental, orchard.id).contributions}
    recompute_workspace(session, world.acme.id)
    assert _team(session, world) == incremental


def test_merged_rows_equal_a_full_recompute_and_stale_rows_are_rebuilt(
    session: Session, world: World
) -> None:
    halvard, lumen = world.accounts["halvard"], world.accounts["lumen"]
    fresh = add_signal(session, halvard, "expansion", days_ago=0.5)
    other = add_signal(session, lumen, "layoffs", days_ago=1)
    session.execute(delete(AccountScore).where(AccountScore.account_id == lumen.id))  # no row
    assert add_signals(session, [fresh.id, other.id], [halvard.id, lumen.id]) == 2
    merged = _team(session, world)
    assert fresh.id in {c.signal_id for c in _item(merged, halvard.id).contributions}
    assert world.signals["halvard_funding"].id in {
        c.signal_id for c in _item(merged, halvard.id).contributions
    }
    recompute_workspace(session, world.acme.id)
    assert _team(session, world) == merged


def test_a_sources_new_reliability_reweighs_its_accounts(session: Session, world: World) -> None:
    halvard = world.accounts["halvard"]
    funding = world.signals["halvard_funding"]
    before = _item(_team(session, world), halvard.id).contributions
    manager = world.members["manager"].user
    update_source(session, manager, funding.source_id, SourceUpdate(reliability=0.5))
    after = _item(_team(session, world), halvard.id).contributions
    [was] = [c.value for c in before if c.signal_id == funding.id]
    [now] = [c.value for c in after if c.signal_id == funding.id]
    assert now == pytest.approx(was / 2, abs=0.01)


def test_decay_applies_at_read_time_without_recomputing(session: Session, world: World) -> None:
    manager = world.members["manager"].user
    quill = world.accounts["quill"].id
    signal_id = world.signals["quill_exec"].id
    stamp = session.scalar(select(AccountScore.computed_at).where(AccountScore.account_id == quill))

    def value(days: float) -> float:
        queue = build_queue(session, manager, now=NOW + timedelta(days=days))
        return next(c.value for c in _item(queue, quill).contributions if c.signal_id == signal_id)

    assert value(30) == pytest.approx(value(0) / 2, abs=1e-4)  # default half-life: 30 days
    assert value(60) == pytest.approx(value(0) / 4, abs=1e-4)
    after = session.scalar(select(AccountScore.computed_at).where(AccountScore.account_id == quill))
    assert after == stamp


def test_workspace_weights_override_defaults_and_carry_a_version(
    session: Session, world: World
) -> None:
    before = _team(session, world)
    assert before.weights_version == "default-1"
    orchard = world.accounts["orchard"].id
    assert _item(before, orchard).rank == 4
    world.acme.queue_weights = {"types": {"layoffs": 20.0}}
    session.flush()
    after = _team(session, world)
    assert after.weights_version.startswith("default-1+")
    assert _item(after, orchard).rank == 1
    world.acme.queue_weights = {"version": "q3-push", "half_life_days": 7}
    session.flush()
    assert _team(session, world).weights_version == "q3-push"


def test_filters_by_type_tier_and_region(session: Session, world: World) -> None:
    def names(**filters: object) -> set[str]:
        return {i.account for i in _team(session, world, **filters).items}

    assert names(type="funding") == {"Halvard Freight", "Lumenfield Health"}
    assert names(tier="2") == {"Quillstone Bank", "Orchard Robotics"}
    assert names(region="na") == {"Quillstone Bank", "Lumenfield Health"}
    assert names(type="funding", region="NA") == {"Lumenfield Health"}


def test_every_page_agrees_with_the_full_ranking(session: Session, world: World) -> None:
    rng = random.Random(7)
    rep = world.members["rep2"]
    for n in range(40):
        account = create_account(session, rep, f"Bulk {n:02d}")
        for _ in range(rng.randint(0, 12)):  # many near-ties: same types, close dates
            signal_type = rng.choice(["funding", "hiring", "earnings"])
            add_signal(session, account, signal_type, days_ago=rng.choice([1, 1.0001, 2]))
    recompute_workspace(session, world.acme.id)
    full = _team(session, world, limit=200)
    assert full.total == 44
    paged = [
        item
        for offset in range(0, 44, 6)
        for item in _team(session, world, limit=6, offset=offset).items
    ]
    assert paged == full.items
    assert [i.rank for i in full.items] == list(range(1, 45))
    assert _team(session, world, offset=44).items == []
