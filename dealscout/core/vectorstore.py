"""The vector index: one ChromaDB collection per workspace, cosine space, our embeddings.

Embedded ``PersistentClient`` in ``DEALSCOUT_HOME/chroma`` by default (one writer process),
the Chroma server when ``CHROMA_HOST`` is set. SQL stays the source of truth; the index can
be rebuilt from it with :meth:`VectorStore.reset_workspace` + :meth:`VectorStore.upsert`.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.client import SharedSystemClient
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Metadata
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from dealscout.core.config import Settings
from dealscout.core.embeddings import DealscoutEmbeddingFunction, Embedder, get_embedder

MetadataValue = str | int | float | bool
T = TypeVar("T")

UPSERT_BATCH = 256
ID_PAGE = 5000
PROBE_COLLECTION = "readiness_probe"
_WORKSPACE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$")


@dataclass(frozen=True)
class VectorItem:
    """One signal's retrieval text. ``metadata`` must hold ``account_id``; ``workspace_id``
    is set by the store. Keys with ``None`` values are dropped (Chroma rejects them)."""

    id: str
    text: str
    metadata: Mapping[str, MetadataValue | None] = field(default_factory=dict)


@dataclass(frozen=True)
class VectorHit:
    id: str
    score: float  # cosine similarity, 1.0 = same direction
    metadata: dict[str, Any]


def collection_name(workspace_id: int | str) -> str:
    text = str(workspace_id)
    if not _WORKSPACE_ID.match(text):
        raise ValueError(f"unusable workspace id for a collection name: {text!r}")
    return f"ws_{text}"


def make_client(settings: Settings) -> ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class VectorStore:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or get_embedder()
        self._function = DealscoutEmbeddingFunction(self.embedder)
        self._client: ClientAPI | None = None
        self._collections: dict[str, Collection] = {}
        self._lock = threading.Lock()

    @property
    def client(self) -> ClientAPI:
        """Created on first use, so a down Chroma server fails calls, not construction."""
        with self._lock:
            if self._client is None:
                self._client = make_client(self.settings)
            return self._client

    def upsert(self, workspace_id: int | str, items: Sequence[VectorItem]) -> None:
        for start in range(0, len(items), UPSERT_BATCH):
            self._upsert_batch(workspace_id, items[start : start + UPSERT_BATCH])

    def _upsert_batch(self, workspace_id: int | str, batch: Sequence[VectorItem]) -> None:
        ids = [item.id for item in batch]
        texts = [item.text for item in batch]
        metadatas = [cast(Metadata, _metadata(workspace_id, item)) for item in batch]
        vectors = self.embedder.embed_array(texts)
        self._call(
            workspace_id,
            lambda c: c.upsert(ids=ids, embeddings=vectors, metadatas=metadatas),
        )

    def delete(self, workspace_id: int | str, ids: Sequence[str]) -> None:
        if ids:
            self._call(workspace_id, lambda c: c.delete(ids=list(ids)))

    def query(
        self,
        workspace_id: int | str,
        text: str,
        *,
        k: int = 10,
        account_id: int | str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> list[VectorHit]:
        """Nearest signals to ``text`` within the workspace, best first."""
        clause = _where(account_id, where)
        vector = self.embedder.embed_array([text])
        result = self._call(
            workspace_id,
            lambda c: c.query(
                query_embeddings=vector,
                n_results=k,
                where=clause,
                include=["metadatas", "distances"],
            ),
        )
        ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        metadatas = (result["metadatas"] or [[]])[0]
        return [
            VectorHit(id=i, score=1.0 - float(d), metadata=dict(m or {}))
            for i, d, m in zip(ids, distances, metadatas, strict=True)
        ]

    def count(self, workspace_id: int | str) -> int:
        return self._call(workspace_id, lambda c: c.count())

    def ids(self, workspace_id: int | str) -> set[str]:
        """Every vector id of the workspace (read in pages, for the reconciler)."""
        found: set[str] = set()
        while True:
            page = self._call(workspace_id, partial(_id_page, offset=len(found)))
            found.update(page)
            if len(page) < ID_PAGE:
                return found

    def workspaces(self) -> list[str]:
        """The workspace ids that have a collection."""
        names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        return [name.removeprefix("ws_") for name in names if name.startswith("ws_")]

    def forget(self) -> None:
        """Drop the client and its cached collections, so the next call opens the store
        afresh (after the embedded folder was moved, deleted or restored)."""
        with self._lock:
            self._client = None
            self._collections.clear()
        if not self.settings.chroma_host:
            SharedSystemClient.clear_system_cache()

    def recover(self) -> str | None:
        """Set an unreadable embedded store aside (``chroma.corrupt-<time>``) so the next
        call starts an empty one to rebuild from SQL; returns a note of what was done."""
        if self.settings.chroma_host:
            return None
        folder = self.settings.chroma_path
        try:
            self.check_write_read()
            return None
        except FileNotFoundError:
            self.forget()
            return f"no vector store in {folder}: building a new one"
        except Exception as exc:  # chromadb raises many kinds for a damaged folder
            self.forget()
            aside = folder.with_name(f"chroma.corrupt-{time.strftime('%Y%m%d%H%M%S')}")
            folder.rename(aside)
            return f"vector store unreadable ({type(exc).__name__}): moved to {aside}, rebuilding"

    def check_write_read(self) -> None:
        """Write a probe vector, read it back and delete it: raises if the store cannot.

        An embedded folder deleted under a running process still "works" on the unlinked
        files, so its database file must also exist.
        """
        client = self.client  # opening the embedded store creates its files
        database = self.settings.chroma_path / "chroma.sqlite3"
        if not self.settings.chroma_host and not database.is_file():
            raise FileNotFoundError(f"{database} is missing")
        probe = client.get_or_create_collection(
            PROBE_COLLECTION, configuration={"hnsw": {"space": "cosine"}}
        )
        vector = np.array([[1.0, 0.0]], dtype=np.float32)
        probe.upsert(ids=["probe"], embeddings=vector, metadatas=[{"at": time.time()}])
        if probe.get(ids=["probe"], include=[])["ids"] != ["probe"]:
            raise RuntimeError("the probe vector did not read back")

    def reset_workspace(self, workspace_id: int | str) -> None:
        """Drop the workspace's collection (before a reindex from SQL)."""
        name = collection_name(workspace_id)
        self._collections.pop(name, None)
        with contextlib.suppress(NotFoundError):
            self.client.delete_collection(name)

    def _call(self, workspace_id: int | str, action: Callable[[Collection], T]) -> T:
        """Run ``action`` on the workspace's collection; if another process dropped and
        recreated it (reindex), our cached handle is stale: refetch once."""
        name = collection_name(workspace_id)
        try:
            return action(self._collection(name))
        except NotFoundError:
            self._collections.pop(name, None)
            return action(self._collection(name))

    def _collection(self, name: str) -> Collection:
        collection = self._collections.get(name)
        if collection is None:
            collection = self.client.get_or_create_collection(
                name,
                embedding_function=self._function,  # type: ignore[arg-type]  # text-only function
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._collections[name] = collection
        return collection


def _id_page(collection: Collection, offset: int) -> list[str]:
    return collection.get(include=[], limit=ID_PAGE, offset=offset)["ids"]


def _metadata(workspace_id: int | str, item: VectorItem) -> dict[str, MetadataValue]:
    metadata = {key: value for key, value in item.metadata.items() if value is not None}
    if "account_id" not in metadata:
        raise ValueError(f"vector {item.id!r} has no account_id metadata")
    metadata["workspace_id"] = workspace_id
    return metadata


def _where(account_id: int | str | None, where: Mapping[str, Any] | None) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = []
    if account_id is not None:
        conditions.append({"account_id": account_id})
    if where:
        conditions.append(dict(where))
    if len(conditions) > 1:
        return {"$and": conditions}
    return conditions[0] if conditions else None
