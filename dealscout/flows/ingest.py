"""Fetching a source and what follows it, shared by the tasks, the API and the CLI:
store the signals, queue their vectors and refresh what depends on them in one transaction;
after its commit, write the queued vectors (:func:`write_vectors`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User, Workspace
from dealscout.core.config import Settings
from dealscout.core.db import session_scope
from dealscout.core.deadline import time_limit
from dealscout.core.vectorstore import VectorStore
from dealscout.ingestion import service, sources, vectors
from dealscout.ingestion.fetch import SafeFetcher
from dealscout.ingestion.models import Signal, Source
from dealscout.ingestion.service import IngestReport
from dealscout.ingestion.source_schemas import SourceUpdate
from dealscout.queue.store import add_signals, refresh_accounts

log = logging.getLogger(__name__)

_STORES: dict[tuple[str | None, int, str], VectorStore] = {}
_STORES_LOCK = threading.Lock()


def vector_store(settings: Settings) -> VectorStore:
    """One vector store client per process and configuration."""
    key = (settings.chroma_host, settings.chroma_port, str(settings.chroma_path))
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = VectorStore(settings)
        return _STORES[key]


def signals_by_id(session: Session, ids: Sequence[int]) -> list[Signal]:
    if not ids:
        return []
    return list(session.scalars(select(Signal).where(Signal.id.in_(list(ids))).order_by(Signal.id)))


def after_ingest(session: Session, signal_ids: Sequence[int], account_ids: Sequence[int]) -> None:
    """Refresh what depends on an account's signals at once: its queue scores. (Briefs key
    off the signals themselves; the worker regenerates them ahead of the next read.)"""
    add_signals(session, signal_ids, account_ids)


def follow_up(session: Session, report: IngestReport, workspace_id: int) -> None:
    """In the ingest's transaction: queue the new signals' vectors, refresh the queue."""
    if report.failure is not None:
        return
    vectors.queue_vectors(session, workspace_id, report.new_signal_ids)
    after_ingest(session, report.new_signal_ids, report.account_ids)


def write_vectors(settings: Settings, report: IngestReport) -> None:
    """After the ingest committed: write its queued vectors. A vector store failure leaves
    them queued for the reconciler and says so in the report's warnings."""
    if not report.new_signal_ids:
        return
    try:
        with session_scope(settings.sqlalchemy_url) as session:
            vectors.embed_outbox(session, vector_store(settings), report.new_signal_ids)
    except Exception as exc:  # the signals are stored; their vectors follow later
        log.warning("vectors of %d signals left queued: %r", len(report.new_signal_ids), exc)
        report.warnings.append(
            f"{len(report.new_signal_ids)} signals wait for their vectors "
            f"(vector store: {type(exc).__name__}); the reconciler writes them later"
        )


def write_queued_vectors(settings: Settings) -> int:
    """Write every queued vector (after a bulk load such as the demo)."""
    with session_scope(settings.sqlalchemy_url) as session:
        return vectors.embed_outbox(session, vector_store(settings))


def reconcile(settings: Settings) -> vectors.Reconciled:
    """Bring every workspace's vectors in step with SQL (startup, reindex, periodically)."""
    store = vector_store(settings)
    with session_scope(settings.sqlalchemy_url) as session:
        total = vectors.Reconciled(embedded=vectors.embed_outbox(session, store))
        known = {str(i) for i in session.scalars(select(Workspace.id))}
        for workspace_id in sorted(known, key=int):
            done = vectors.reconcile_workspace(session, store, int(workspace_id))
            session.commit()
            total.embedded += done.embedded
            total.removed += done.removed
    for stale in set(store.workspaces()) - known:  # the workspace was deleted
        store.reset_workspace(stale)
    return total


def fetch_and_follow_up(session: Session, settings: Settings, source: Source) -> IngestReport:
    """Fetch and ingest within the task time limit, which holds in worker threads too."""
    with time_limit(settings.task_time_limit_s), SafeFetcher(settings) as fetcher:
        report = service.fetch_source(session, source, fetcher)
    follow_up(session, report, source.workspace_id)
    return report


def update_source(session: Session, user: User, source_id: int, data: SourceUpdate) -> Source:
    """Change a source; a new reliability weighs every signal of it, so its accounts are
    re-scored."""
    old_reliability = sources.visible_source(session, user, source_id).reliability
    source = sources.update_source(session, user, source_id, data)
    if source.reliability != old_reliability:
        refresh_accounts(session, sources.linked_account_ids(session, source.id))
    return source
