"""Fetching a source and what follows it, shared by the tasks, the API and the CLI:
store the signals, embed the new ones, then refresh what depends on them."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.core.config import Settings
from dealscout.core.deadline import time_limit
from dealscout.core.vectorstore import VectorStore
from dealscout.ingestion import service, sources, vectors
from dealscout.ingestion.fetch import SafeFetcher
from dealscout.ingestion.models import Signal, Source
from dealscout.ingestion.service import IngestReport
from dealscout.ingestion.source_schemas import SourceUpdate
from dealscout.queue.store import add_signals, refresh_accounts

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


def follow_up(session: Session, settings: Settings, report: IngestReport) -> None:
    if report.failure is not None:
        return
    vectors.embed_signals(
        session, vector_store(settings), signals_by_id(session, report.new_signal_ids)
    )
    after_ingest(session, report.new_signal_ids, report.account_ids)


def fetch_and_follow_up(session: Session, settings: Settings, source: Source) -> IngestReport:
    """Fetch and ingest within the task time limit, which holds in worker threads too."""
    with time_limit(settings.task_time_limit_s), SafeFetcher(settings) as fetcher:
        report = service.fetch_source(session, source, fetcher)
    follow_up(session, settings, report)
    return report


def update_source(session: Session, user: User, source_id: int, data: SourceUpdate) -> Source:
    """Change a source; a new reliability weighs every signal of it, so its accounts are
    re-scored."""
    old_reliability = sources.visible_source(session, user, source_id).reliability
    source = sources.update_source(session, user, source_id, data)
    if source.reliability != old_reliability:
        refresh_accounts(session, sources.linked_account_ids(session, source.id))
    return source
