"""Readiness checks write and read back each store, and name the one that fails."""

from __future__ import annotations

import shutil

import pytest

from dealscout.accounts.bootstrap import ensure_schema
from dealscout.core import readiness
from dealscout.core.config import Settings, get_settings
from dealscout.core.vectorstore import VectorStore
from tests.support.serve import free_port


def test_the_database_takes_a_write_and_keeps_none(any_db: str) -> None:
    settings = get_settings()
    ensure_schema(settings)
    check = readiness.check_database(settings)
    assert check.ok, check.detail
    assert readiness.check_database(settings).ok  # the probe row was rolled back


def test_a_store_without_schema_is_not_ready(settings: Settings) -> None:
    check = readiness.check_database(settings)
    assert not check.ok and "store_probe" in check.detail


def test_the_broker_round_trips_a_message(broker_url: str) -> None:
    check = readiness.check_broker(get_settings())
    assert check.ok and check.detail == "redis", check.detail


def test_a_dead_broker_is_not_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{free_port()}/4")
    get_settings.cache_clear()
    assert not readiness.check_broker(get_settings()).ok


def test_a_deleted_vector_folder_is_not_ready(settings: Settings) -> None:
    store = VectorStore(settings)
    assert readiness.check_vectorstore(store).ok
    shutil.rmtree(settings.chroma_path)
    check = readiness.check_vectorstore(store)
    assert not check.ok and "missing" in check.detail
    store.forget()  # what the reconciler or a restart does: a fresh store is ready again
    assert readiness.check_vectorstore(store).ok
