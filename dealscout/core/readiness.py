"""Readiness checks that write and read each store the service depends on: the database,
the broker and the vector store. A check that only connects passes on a store that has
lost its files or cannot take writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select

from dealscout.core.config import Settings
from dealscout.core.db import StoreProbe, get_sessionmaker, utcnow
from dealscout.core.vectorstore import VectorStore

PROBE_TIMEOUT_S = 2.0


@dataclass
class Check:
    ok: bool
    detail: str


def _failed(exc: Exception) -> Check:
    return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")


def check_database(settings: Settings) -> Check:
    """Write the probe row, read it back, roll back: the store takes writes."""
    try:
        with get_sessionmaker(settings.sqlalchemy_url)() as session:
            now = utcnow()
            session.execute(delete(StoreProbe))
            session.add(StoreProbe(id=1, checked_at=now))
            session.flush()
            read = session.scalar(select(StoreProbe.checked_at).where(StoreProbe.id == 1))
            session.rollback()
            dialect = session.get_bind().dialect.name
        if read != now:
            return Check(False, "the probe row did not read back")
        return Check(True, dialect)
    except Exception as exc:  # any driver error means "not ready"
        return _failed(exc)


def check_broker(settings: Settings) -> Check:
    """Put a message on a probe queue of the broker and get it back."""
    if not settings.celery_broker_url:
        return Check(True, "embedded")
    from kombu import Connection

    queue = f"dealscout.readyz.{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    try:
        with Connection(settings.celery_broker_url, connect_timeout=PROBE_TIMEOUT_S) as conn:
            conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_S)
            with conn.SimpleQueue(queue) as probe:
                probe.put(token)
                message = probe.get(timeout=PROBE_TIMEOUT_S)
                message.ack()
                probe.queue.delete()
        if message.payload != token:
            return Check(False, "the probe message did not read back")
        return Check(True, conn.transport.driver_name)
    except Exception as exc:
        return _failed(exc)


def check_vectorstore(store: VectorStore) -> Check:
    try:
        store.check_write_read()
        return Check(True, "server" if store.settings.chroma_host else "embedded")
    except Exception as exc:
        return _failed(exc)


def check_all(settings: Settings, store: VectorStore) -> dict[str, Check]:
    return {
        "database": check_database(settings),
        "broker": check_broker(settings),
        "vectorstore": check_vectorstore(store),
    }
