"""Ingest commits or rolls back as one unit on every backend; vectors follow through the
outbox, and the reconciler repairs whatever a kill or an outage left out of step."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.core.config import Settings, get_settings
from dealscout.core.db import get_sessionmaker
from dealscout.core.vectorstore import VectorItem
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import service
from dealscout.ingestion.models import Signal, Source, VectorOutbox
from tests.support.factories import create_workspace, open_session
from tests.support.httpserver import LoopbackServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def session(any_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    db = open_session(get_settings())
    yield db
    db.close()


@pytest.fixture
def feeds() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        for name in ("wire_a.xml", "wire_b.xml"):
            path = FIXTURES / "ingest" / name
            server.file(f"/{name}", path, content_type="application/rss+xml")
        yield server


def _count(model: type, settings: Settings) -> int:
    """Counted on a connection of its own: what another process would see."""
    with get_sessionmaker(settings.sqlalchemy_url)() as other:
        return other.scalar(select(func.count()).select_from(model)) or 0


def _fetch(session: Session, feeds: LoopbackServer, name: str) -> service.IngestReport:
    workspace = create_workspace(session, "default")
    source = service.source_for(session, workspace.id, feeds.url(f"/{name}"), None)
    session.commit()
    return ingest_flow.fetch_and_follow_up(session, get_settings(), source)


def test_nothing_of_an_ingest_is_visible_before_its_commit(
    session: Session, feeds: LoopbackServer
) -> None:
    """The SQLite savepoint used to commit the signals at once (pysqlite autocommit)."""
    settings = get_settings()
    report = _fetch(session, feeds, "wire_a.xml")
    assert report.new == 2
    assert (_count(Signal, settings), _count(VectorOutbox, settings)) == (0, 0)
    session.rollback()  # a kill before the commit ends the same way
    assert session.scalar(select(func.count(Signal.id))) == 0
    source = session.scalar(select(Source))
    assert source is not None and source.last_status is None  # rolled back with the signals

    again = _fetch(session, feeds, "wire_a.xml")  # the retry: nothing lost, nothing doubled
    session.commit()
    assert (again.new, again.duplicates) == (2, 0)
    assert (_count(Signal, settings), _count(VectorOutbox, settings)) == (2, 2)
    ingest_flow.write_vectors(settings, again)
    assert _count(VectorOutbox, settings) == 0
    workspace_id = session.scalars(select(Signal.workspace_id)).first()
    assert ingest_flow.vector_store(settings).count(workspace_id) == 2


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_vector_store_outage_keeps_the_signals_queued_and_says_so(
    session: Session, feeds: LoopbackServer
) -> None:
    settings = get_settings()
    report = _fetch(session, feeds, "wire_a.xml")
    session.commit()
    down = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": _dead_port()})
    ingest_flow.write_vectors(down, report)
    assert any("wait for their vectors" in w for w in report.warnings), report.warnings
    assert (_count(Signal, settings), _count(VectorOutbox, settings)) == (2, 2)

    done = ingest_flow.reconcile(settings)  # the store is back
    assert (done.embedded, done.removed) == (2, 0)
    assert _count(VectorOutbox, settings) == 0


def test_reconciler_embeds_missing_vectors_and_removes_orphans(
    session: Session, feeds: LoopbackServer
) -> None:
    settings = get_settings()
    store = ingest_flow.vector_store(settings)
    for name in ("wire_a.xml", "wire_b.xml"):
        report = _fetch(session, feeds, name)
        session.commit()
        ingest_flow.write_vectors(settings, report)
    workspace_id = session.scalars(select(Signal.workspace_id)).first()
    assert workspace_id is not None
    active = {str(i) for i in session.scalars(select(Signal.id).where(Signal.status == "active"))}
    assert store.ids(workspace_id) == active and len(active) == 3

    lost = sorted(active)[0]
    store.delete(workspace_id, [lost])  # a vector a crash never wrote
    orphan = VectorItem("999999", "a signal rolled back after its vector", {"account_id": 0})
    store.upsert(workspace_id, [orphan])  # a vector whose row is gone
    done = ingest_flow.reconcile(settings)
    assert (done.embedded, done.removed) == (1, 1)
    assert store.ids(workspace_id) == active
    assert ingest_flow.reconcile(settings).embedded == 0  # in step: nothing more to do
