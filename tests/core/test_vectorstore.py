"""The vector store on the embedded folder and against a real `chroma run` server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealscout.core.config import Settings
from dealscout.core.vectorstore import VectorItem, VectorStore, collection_name
from tests.support.chroma import chroma_server
from tests.support.serve import free_port

SIGNALS = [
    VectorItem(
        "s1",
        "Acme closes a $60M Series C round to expand into Europe",
        {"account_id": 1, "type": "funding", "published_at": 1_700_000_000, "source_id": 3},
    ),
    VectorItem(
        "s2",
        "Acme is hiring twenty solutions engineers in Austin",
        {"account_id": 1, "type": "hiring", "published_at": 1_700_100_000, "source_id": 3},
    ),
    VectorItem(
        "s3",
        "Globex raises new venture capital from Sequoia",
        {"account_id": 2, "type": "funding", "published_at": 1_700_200_000, "source_id": None},
    ),
]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "embedded":
        return Settings(DEALSCOUT_HOME=tmp_path, CHROMA_HOST=None)
    port = request.getfixturevalue("chroma")
    return Settings(DEALSCOUT_HOME=tmp_path, CHROMA_HOST="127.0.0.1", CHROMA_PORT=port)


@pytest.fixture
def store(settings: Settings) -> VectorStore:
    return VectorStore(settings)


@pytest.fixture
def ws() -> str:
    """A fresh workspace id: the server fixture outlives a single test."""
    return f"w{uuid.uuid4().hex[:12]}"


def test_write_read_check_and_client_kind(store: VectorStore, ws: str, settings: Settings) -> None:
    store.check_write_read()
    if settings.chroma_host is None:
        assert (settings.chroma_path / "chroma.sqlite3").exists()


def test_upsert_query_ranks_by_meaning(store: VectorStore, ws: str) -> None:
    store.upsert(ws, SIGNALS)
    assert store.count(ws) == 3
    hits = store.query(ws, "investors put new money into the company", k=3)
    assert [hit.id for hit in hits][-1] == "s2"
    assert hits[0].score > hits[-1].score
    assert -1.0 <= hits[-1].score <= hits[0].score <= 1.0
    assert hits[0].metadata["workspace_id"] == ws
    assert "source_id" not in next(h.metadata for h in hits if h.id == "s3")


def test_query_filters_by_account_and_where(store: VectorStore, ws: str) -> None:
    store.upsert(ws, SIGNALS)
    hits = store.query(ws, "funding round", account_id=1)
    assert {hit.id for hit in hits} == {"s1", "s2"}
    hits = store.query(ws, "funding round", account_id=1, where={"type": "hiring"})
    assert [hit.id for hit in hits] == ["s2"]
    recent = {"published_at": {"$gte": 1_700_100_000}}
    assert {hit.id for hit in store.query(ws, "news", where=recent)} == {"s2", "s3"}


def test_upsert_replaces_and_delete_removes(store: VectorStore, ws: str) -> None:
    store.upsert(ws, SIGNALS)
    changed = VectorItem("s2", "Acme names a new chief revenue officer", {"account_id": 1})
    store.upsert(ws, [changed])
    assert store.count(ws) == 3
    assert store.query(ws, "new executive hire", k=1)[0].id == "s2"
    store.delete(ws, ["s1", "s3", "missing"])
    store.delete(ws, [])
    assert store.count(ws) == 1


def test_workspaces_are_isolated(store: VectorStore, ws: str) -> None:
    store.upsert(ws, SIGNALS)
    assert store.count(ws + "x") == 0
    assert store.query(ws + "x", "funding") == []
    store.reset_workspace(ws)
    assert store.count(ws) == 0


def test_stale_collection_after_reindex_elsewhere(
    store: VectorStore, ws: str, settings: Settings
) -> None:
    store.upsert(ws, SIGNALS)
    other = VectorStore(settings)
    other.reset_workspace(ws)
    other.upsert(ws, SIGNALS[:1])
    assert [hit.id for hit in store.query(ws, "funding")] == ["s1"]


def test_every_vector_needs_an_account() -> None:
    store = VectorStore(Settings(CHROMA_HOST="127.0.0.1", CHROMA_PORT=free_port()))
    with pytest.raises(ValueError, match="account_id"):
        store.upsert("w1", [VectorItem("x", "text", {"type": "funding"})])
    with pytest.raises(ValueError):
        collection_name("../etc")


def test_write_read_check_fails_when_server_is_down() -> None:
    store = VectorStore(Settings(CHROMA_HOST="127.0.0.1", CHROMA_PORT=free_port()))
    with pytest.raises(Exception):  # noqa: B017  (whatever the client raises for "refused")
        store.check_write_read()
