"""The pipeline on one batch of items: exact and near copies within the batch and against
the store, counts, rejected rows and account links (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.schemas import AccountCreate, UserCreate
from dealscout.core.config import get_settings
from dealscout.ingestion import dedupe, pipeline, service
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.ingestion.pipeline import (
    IngestContext,
    IngestCounts,
    account_refs,
    ingest_items,
    workspace_dedupe,
)
from dealscout.ingestion.schemas import RawItem
from tests.support.factories import create_workspace, open_session

STORY = (
    "Brennwald Systems, the maker of warehouse scheduling software, has raised $45 million "
    "in a Series B round led by Castor Ventures, with participation from Northgate Capital. "
    "The company plans to use the money to hire 40 engineers in Munich and grow its sales "
    "team across Europe. Chief executive Mira Olsen said the round values the business at "
    "about $300 million. Brennwald has now raised $70 million since it was founded in 2016."
)
OTHER = (
    "Fennick Labs will cut about 120 jobs, or 9 percent of its workforce, as it reorganises "
    "its customer support operations, the company told staff on Tuesday. The cuts mostly "
    "affect its offices in Lisbon and Porto, and Fennick expects restructuring charges of "
    "about $12 million in the fourth quarter."
)
WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def session(any_db: str) -> Iterator[Session]:
    # the near-duplicate index is kept per process and database URL; PostgreSQL tests share
    # the URL while the database is emptied for each, so start from an empty index
    pipeline._INDEXES.clear()
    db = open_session(get_settings())
    yield db
    db.close()


@pytest.fixture
def source(session: Session) -> Source:
    workspace = create_workspace(session, "default")
    admin = accounts.create_user(session, workspace.id, UserCreate(email="a@x.test", role="admin"))
    accounts.create_account(
        session, admin, AccountCreate(name="Brennwald Systems", domain="brennwald.example")
    )
    found = service.source_for(session, workspace.id, "https://wire.example/feed.xml", None)
    session.commit()
    return found


def _item(guid: str, text: str, url: str | None = None, **fields: object) -> RawItem:
    title = fields.pop("title", text.split(",")[0])
    url = url or f"https://wire.example/{guid}"
    return RawItem(
        guid=guid,
        url=url,
        canonical_url=dedupe.canonical_url(url),
        title=str(title),
        text=text,
        published_at=WHEN,
        kind="entry",
        **fields,  # type: ignore[arg-type]
    )


def _ingest(session: Session, source: Source, items: list[RawItem]) -> IngestCounts:
    ctx = IngestContext(
        workspace_id=source.workspace_id,
        source_id=source.id,
        source_name="Wire",
        source_account_id=None,
        baseline=False,
    )
    counts = ingest_items(session, ctx, items, account_refs(session, source.workspace_id))
    session.commit()
    return counts


def _signals(session: Session) -> dict[str, Signal]:
    return {s.guid or "": s for s in session.scalars(select(Signal))}


def test_copies_within_one_batch_count_once(session: Session, source: Source) -> None:
    items = [
        _item("1", STORY),
        _item("2", STORY, url="https://other.example/copy"),  # same content
        _item("3", OTHER),
        _item("4", "A different text at the same page.", url="https://wire.example/3"),
        _item("3", "A different text under a GUID seen above."),
        _item("5", "Cookie banner only", reject_reason="no readable text"),
        _item("6", "Cookie banner only", reject_reason="no readable text"),
    ]
    counts = _ingest(session, source, items)
    assert (counts.fetched, counts.new, counts.duplicates, counts.rejected) == (7, 2, 4, 1)
    stored = _signals(session)
    assert set(stored) == {"1", "3", "5"}
    assert stored["5"].status == "rejected" and stored["5"].reject_reason == "no readable text"
    assert sorted(counts.new_signal_ids) == sorted([stored["1"].id, stored["3"].id])


def test_a_near_copy_within_the_batch_points_at_the_first(session: Session, source: Source) -> None:
    syndicated = "UPDATE 1-" + STORY + " Tech Ledger contributed reporting."
    items = [_item("1", STORY), _item("2", OTHER), _item("3", syndicated)]
    counts = _ingest(session, source, items)
    assert (counts.new, counts.duplicates) == (2, 1)
    stored = _signals(session)
    assert stored["3"].status == "duplicate" and stored["3"].duplicate_of_id == stored["1"].id
    assert stored["3"].minhash is not None and stored["1"].type == "funding"
    again = _ingest(session, source, [_item("7", syndicated + " More at 11.")])
    assert (again.new, again.duplicates) == (0, 1)  # a near copy of a stored signal
    assert _signals(session)["7"].duplicate_of_id == stored["1"].id


def test_reingest_adds_nothing_and_links_accounts_once(session: Session, source: Source) -> None:
    items = [_item("1", STORY), _item("2", OTHER)]
    first = _ingest(session, source, items)
    assert (first.new, first.duplicates) == (2, 0) and len(first.account_ids) == 1
    again = _ingest(session, source, items)
    assert (again.new, again.duplicates, again.new_signal_ids) == (0, 2, [])
    links = list(session.scalars(select(SignalAccount)))
    assert [(link.signal_id, link.status) for link in links] == [
        (_signals(session)["1"].id, "matched")
    ]


def test_an_index_entry_gone_from_the_store_is_dropped(session: Session, source: Source) -> None:
    """E.g. left by a rolled-back transaction: the item is new, not a copy of nothing."""
    _ingest(session, source, [_item("1", OTHER)])
    near = workspace_dedupe(session, source.workspace_id)
    near.index.add("999999", dedupe.minhash("\n".join(["Brennwald Systems", STORY])))
    counts = _ingest(session, source, [_item("2", STORY)])
    assert (counts.new, counts.duplicates) == (1, 0)
    assert "999999" not in near.index


def test_an_index_entry_whose_id_was_reused_is_dropped(session: Session, source: Source) -> None:
    """A rolled-back signal's id taken by another signal: the entry no longer describes it."""
    _ingest(session, source, [_item("1", OTHER)])
    other_id = _signals(session)["1"].id
    near = workspace_dedupe(session, source.workspace_id)
    near.index.remove(str(other_id))
    near.index.add(str(other_id), dedupe.minhash("\n".join(["Brennwald Systems", STORY])))
    counts = _ingest(session, source, [_item("2", STORY)])
    assert (counts.new, counts.duplicates) == (1, 0)
    assert _signals(session)["2"].duplicate_of_id is None
