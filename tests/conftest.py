"""Shared fixtures: an isolated embedded store per test, and the scale-out services when
the environment names them (CI sets DATABASE_URL and CELERY_BROKER_URL).

Every test starts from a clean environment: the scale-out variables are captured here and
removed, so a test uses PostgreSQL or Redis only when it asks for them by fixture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dealscout.core.config import Settings, get_settings, normalize_database_url

pytest_plugins = ["tests.fakes.openai_server"]

SCALE_OUT_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CHROMA_HOST",
    "CHROMA_PORT",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "DEALSCOUT_LLM_MODEL",
    "DEALSCOUT_ALLOW_PRIVATE_URLS",
)
PG_URL = os.environ.get("DATABASE_URL")
BROKER_URL = os.environ.get("CELERY_BROKER_URL")
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A fresh DEALSCOUT_HOME and no scale-out variables for every test."""
    for name in SCALE_OUT_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("DEALSCOUT_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def settings(clean_env: Path) -> Settings:
    return get_settings()


def _reset_postgres(url: str) -> None:
    engine = create_engine(normalize_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """PostgreSQL from DATABASE_URL, emptied for this test (skipped when unset)."""
    if not PG_URL:
        pytest.skip("scale-out: DATABASE_URL not set (PostgreSQL tests not run)")
    if "test" not in PG_URL.rsplit("/", 1)[-1]:
        pytest.skip("scale-out: DATABASE_URL must name a database whose name contains 'test'")
    from dealscout.accounts import bootstrap

    bootstrap._migrated.clear()
    _reset_postgres(PG_URL)
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    get_settings.cache_clear()
    return PG_URL


@pytest.fixture
def broker_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """Redis (or RabbitMQ) from CELERY_BROKER_URL (skipped when unset)."""
    if not BROKER_URL:
        pytest.skip("scale-out: CELERY_BROKER_URL not set (worker-on-broker tests not run)")
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER_URL)
    get_settings.cache_clear()
    return BROKER_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> str:
    """Runs a test on the embedded SQLite store and again on PostgreSQL."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return "sqlite"
