"""Readiness checks of the parts the service depends on: database, broker, vector store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from dealscout.core.config import Settings
from dealscout.core.db import get_engine


@dataclass
class Check:
    ok: bool
    detail: str


def check_database(settings: Settings) -> Check:
    try:
        with get_engine(settings.sqlalchemy_url).connect() as conn:
            conn.execute(text("SELECT 1"))
        return Check(True, get_engine(settings.sqlalchemy_url).dialect.name)
    except Exception as exc:  # any driver error means "not ready"
        return Check(False, type(exc).__name__)


def check_broker(settings: Settings) -> Check:
    if not settings.celery_broker_url:
        return Check(True, "embedded")
    from kombu import Connection

    try:
        with Connection(settings.celery_broker_url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return Check(True, conn.transport_cls if isinstance(conn.transport_cls, str) else "broker")
    except Exception as exc:
        return Check(False, type(exc).__name__)


def check_vectorstore(settings: Settings) -> Check:
    from dealscout.core.vectorstore import VectorStore

    try:
        ok = VectorStore(settings).ping()
        return Check(ok, "server" if settings.chroma_host else "embedded")
    except Exception as exc:
        return Check(False, type(exc).__name__)


def check_all(settings: Settings) -> dict[str, Check]:
    return {
        "database": check_database(settings),
        "broker": check_broker(settings),
        "vectorstore": check_vectorstore(settings),
    }
