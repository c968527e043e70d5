"""Keeping the vector index in step with the SQL store (SQL is the source of truth)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.core.vectorstore import MetadataValue, VectorItem, VectorStore
from dealscout.ingestion.models import Signal, SignalAccount

RETRIEVAL_CHARS = 700
REINDEX_BATCH = 512


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
