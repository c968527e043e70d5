"""Keeping the vector index in step with the SQL store (SQL is the source of truth).

New signals are queued in ``vector_outbox`` in the transaction that stores them; their
vectors are written after the commit (:func:`embed_outbox`). Whatever a kill or an outage
leaves behind, :func:`reconcile_workspace` repairs: it embeds active signals that have no
vector and removes vectors that have no active signal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from dealscout.core.vectorstore import MetadataValue, VectorItem, VectorStore
from dealscout.ingestion.models import Signal, SignalAccount, VectorOutbox

RETRIEVAL_CHARS = 700
REINDEX_BATCH = 512
OUTBOX_BATCH = 512


def retrieval_text(signal: Signal) -> str:
    """What retrieval needs: title, summary and the lead — not the whole page."""
    parts = [signal.title, signal.summary]
    if signal.text and signal.text[:200] not in signal.summary:
        parts.append(signal.text[:RETRIEVAL_CHARS])
    return "\n".join(p for p in parts if p)[: RETRIEVAL_CHARS + 400]


def vector_items(signals: Sequence[Signal], accounts: dict[int, list[int]]) -> list[VectorItem]:
    """One vector per active signal; metadata carries its first matched account (0 = none)."""
    items = []
    for signal in signals:
        account_ids = accounts.get(signal.id, [])
        metadata: dict[str, MetadataValue | None] = {
            "account_id": account_ids[0] if account_ids else 0,
            "type": signal.type,
            "published_at": int(signal.published_at.timestamp()),
            "source_id": signal.source_id,
        }
        items.append(VectorItem(id=str(signal.id), text=retrieval_text(signal), metadata=metadata))
    return items


def matched_accounts(session: Session, signal_ids: Iterable[int]) -> dict[int, list[int]]:
    rows = session.execute(
        select(SignalAccount.signal_id, SignalAccount.account_id)
        .where(SignalAccount.signal_id.in_(list(signal_ids)), SignalAccount.status == "matched")
        .order_by(SignalAccount.id)
    )
    found: dict[int, list[int]] = {}
    for signal_id, account_id in rows:
        found.setdefault(signal_id, []).append(account_id)
    return found


def embed_signals(session: Session, store: VectorStore, signals: Sequence[Signal]) -> int:
    active = [s for s in signals if s.status == "active"]
    if not active:
        return 0
    by_workspace: dict[int, list[Signal]] = {}
    for signal in active:
        by_workspace.setdefault(signal.workspace_id, []).append(signal)
    accounts = matched_accounts(session, [s.id for s in active])
    for workspace_id, group in by_workspace.items():
        store.upsert(workspace_id, vector_items(group, accounts))
    return len(active)


def reindex_workspace(session: Session, store: VectorStore, workspace_id: int) -> int:
    """Drop the workspace's vectors and rebuild them from SQL, in batches."""
    store.reset_workspace(workspace_id)
    last_id, total = 0, 0
    while True:
        batch = list(
            session.scalars(
                select(Signal)
                .where(
                    Signal.workspace_id == workspace_id,
                    Signal.status == "active",
                    Signal.id > last_id,
                )
                .order_by(Signal.id)
                .limit(REINDEX_BATCH)
            )
        )
        if not batch:
            return total
        total += embed_signals(session, store, batch)
        last_id = batch[-1].id


def queue_vectors(session: Session, workspace_id: int, signal_ids: Sequence[int]) -> None:
    """Queue new signals for embedding, in the transaction that stores them."""
    if signal_ids:
        rows = [{"signal_id": i, "workspace_id": workspace_id} for i in signal_ids]
        session.execute(insert(VectorOutbox), rows)


def outbox_backlog(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(VectorOutbox)) or 0


def embed_outbox(
    session: Session, store: VectorStore, signal_ids: Sequence[int] | None = None
) -> int:
    """Write the vectors of queued signals (these, or all of them), then dequeue them.

    A vector store failure raises with the queue intact; the caller's rollback keeps it.
    Upserts are idempotent, so two processes draining the same rows do no harm.
    """
    total = 0
    while True:
        query = select(VectorOutbox.signal_id).order_by(VectorOutbox.signal_id)
        if signal_ids is not None:
            query = query.where(VectorOutbox.signal_id.in_(list(signal_ids)))
        ids = list(session.scalars(query.limit(OUTBOX_BATCH)))
        if not ids:
            return total
        rows = session.scalars(select(Signal).where(Signal.id.in_(ids)).order_by(Signal.id))
        total += embed_signals(session, store, list(rows))
        session.execute(delete(VectorOutbox).where(VectorOutbox.signal_id.in_(ids)))
        session.commit()  # each batch's vectors are written: dequeue them for good


@dataclass
class Reconciled:
    embedded: int = 0
    removed: int = 0


def _active_ids(session: Session, workspace_id: int) -> set[str]:
    query = select(Signal.id).where(Signal.workspace_id == workspace_id, Signal.status == "active")
    return {str(i) for i in session.scalars(query)}


def reconcile_workspace(session: Session, store: VectorStore, workspace_id: int) -> Reconciled:
    """Embed active signals without a vector; remove vectors without an active signal.

    The vector ids are listed before the SQL ids: vectors are written only after their
    signal committed, so a vector listed first has a row the later SQL read sees, and a
    concurrent ingest's vectors are never taken for orphans.
    """
    in_index = store.ids(workspace_id)
    in_sql = _active_ids(session, workspace_id)
    orphans = sorted(in_index - in_sql)
    store.delete(workspace_id, orphans)
    missing = sorted(int(i) for i in in_sql - in_index)
    embedded = 0
    for start in range(0, len(missing), REINDEX_BATCH):
        chunk = missing[start : start + REINDEX_BATCH]
        rows = session.scalars(select(Signal).where(Signal.id.in_(chunk)).order_by(Signal.id))
        embedded += embed_signals(session, store, list(rows))
    queued = session.scalars(
        select(VectorOutbox.signal_id).where(VectorOutbox.workspace_id == workspace_id)
    )
    done = sorted(i for i in queued if str(i) in in_sql)  # not rows committed since the read
    for start in range(0, len(done), REINDEX_BATCH):
        chunk = done[start : start + REINDEX_BATCH]
        session.execute(delete(VectorOutbox).where(VectorOutbox.signal_id.in_(chunk)))
    return Reconciled(embedded=embedded, removed=len(orphans))
