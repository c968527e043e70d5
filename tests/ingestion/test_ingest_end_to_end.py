"""Sources fetched over real loopback HTTP into the store: counts, dedupe, refusals."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.schemas import AccountCreate
from dealscout.core.config import get_settings
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import service
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.ingestion.signal_model import shipped_model
from tests.support.factories import create_workspace, open_session
from tests.support.httpserver import LoopbackServer, Reply

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        srv.file("/a.xml", FIXTURES / "ingest" / "wire_a.xml", content_type="application/rss+xml")
        srv.file("/b.xml", FIXTURES / "ingest" / "wire_b.xml", content_type="application/rss+xml")
        srv.file(
            "/bomb.xml", FIXTURES / "hostile" / "billion_laughs.xml", content_type="application/xml"
        )
        srv.text("/robots.txt", "User-agent: *\nDisallow: /private/\n")
        yield srv


@pytest.fixture
def session(any_db: str, allow_loopback: None) -> Iterator[Session]:
    db = open_session(get_settings())
    yield db
    db.close()


def _source(session: Session, url: str, account_id: int | None = None) -> Source:
    workspace = create_workspace(session, "default")
    return service.source_for(session, workspace.id, url, account_id)


def _active(session: Session) -> int:
    return session.scalar(select(func.count(Signal.id)).where(Signal.status == "active")) or 0


def test_same_source_twice_adds_nothing_and_syndicated_story_adds_one(
    session: Session, server: LoopbackServer
) -> None:
    settings = get_settings()
    first = ingest_flow.fetch_and_follow_up(
        session, settings, _source(session, server.url("/a.xml"))
    )
    assert (first.fetched, first.new, first.duplicates, first.rejected) == (2, 2, 0, 0)
    again = ingest_flow.fetch_and_follow_up(
        session, settings, _source(session, server.url("/a.xml"))
    )
    assert (again.new, again.duplicates) == (0, 2)
    other = ingest_flow.fetch_and_follow_up(
        session, settings, _source(session, server.url("/b.xml"))
    )
    assert (other.new, other.duplicates) == (1, 1)
    session.commit()
    assert _active(session) == 3
    copy = session.scalar(select(Signal).where(Signal.status == "duplicate"))
    assert copy is not None and copy.duplicate_of_id is not None
    original = session.get(Signal, copy.duplicate_of_id)
    assert original is not None and "Brennwald" in original.title
    assert original.type == "funding"
    assert ingest_flow.vector_store(settings).count(original.workspace_id) == 0  # queued
    assert ingest_flow.write_queued_vectors(settings) == 3  # after the commit
    assert original.model_version == shipped_model().version  # which model typed it
    assert ingest_flow.vector_store(settings).count(original.workspace_id) == 3


def test_first_poll_is_a_baseline_and_later_items_are_announced(
    session: Session, server: LoopbackServer
) -> None:
    source = _source(session, server.url("/a.xml"))
    ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    assert source.baseline_done
    assert all(not s.announced for s in session.scalars(select(Signal)))
    source.url = server.url("/b.xml")
    ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    fresh = session.scalar(select(Signal).where(Signal.title.contains("Orsolo")))
    assert fresh is not None and fresh.announced


def test_items_of_an_account_source_belong_to_it_and_others_are_matched_by_name(
    session: Session, server: LoopbackServer
) -> None:
    workspace = create_workspace(session, "default")
    admin = accounts.create_user(
        session, workspace.id, accounts.UserCreate(email="a@x.test", role="admin")
    )
    owner = accounts.create_account(session, admin, AccountCreate(name="Fennick Labs"))
    watched = accounts.create_account(session, admin, AccountCreate(name="Brennwald Systems"))
    source = _source(session, server.url("/a.xml"), account_id=owner.id)
    ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    links = {(link.account_id, link.status) for link in session.scalars(select(SignalAccount))}
    assert (owner.id, "matched") in links and (watched.id, "matched") in links


def test_conditional_get_and_recorded_status(session: Session, server: LoopbackServer) -> None:
    body = (FIXTURES / "ingest" / "wire_a.xml").read_bytes()

    def etagged(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, content_type=None)
        return Reply(body=body, headers={"ETag": '"v1"'}, content_type="application/rss+xml")

    server.add("/etag.xml", etagged)
    source = _source(session, server.url("/etag.xml"))
    ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    report = ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    assert report.not_modified and report.fetched == 0
    assert (source.last_status, source.last_http_code, source.failures) == ("not_modified", 304, 0)


def test_hostile_feed_is_refused_and_nothing_else_changes(
    session: Session, server: LoopbackServer
) -> None:
    ingest_flow.fetch_and_follow_up(session, get_settings(), _source(session, server.url("/a.xml")))
    before = session.scalar(select(func.count(Signal.id)))
    source = _source(session, server.url("/bomb.xml"))
    report = ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    assert report.failure is not None and "entit" in str(report.failure).lower()
    assert source.last_status == "refused" and source.failures == 1
    assert session.scalar(select(func.count(Signal.id))) == before


def test_failures_back_off(session: Session, server: LoopbackServer) -> None:
    server.add("/busy.xml", Reply(status=503, headers={"Retry-After": "120"}))
    source = _source(session, server.url("/busy.xml"))
    report = ingest_flow.fetch_and_follow_up(session, get_settings(), source)
    assert report.failure is not None and source.last_status == "error"
    assert source.last_fetch_at is not None and source.next_fetch_at is not None
    assert (source.next_fetch_at - source.last_fetch_at).total_seconds() >= 120


def _cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **(env_extra or {})}
    code = "from dealscout.cli.main import run; run()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/feed.xml",
        "http://[::1]:9/feed.xml",
        "http://10.0.0.1/feed.xml",
        "http://localhost:9/feed.xml",
        "file:///etc/passwd",
        "ftp://example.com/feed.xml",
    ],
)
def test_cli_refuses_unsafe_sources(url: str) -> None:
    result = _cli("ingest", url, "--account", "Acme", "--json")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.stderr
    listed = _cli("accounts", "list", "--json")
    assert listed.stdout.strip() == "[]"  # a refused source changes nothing in the store


def test_cli_ingests_a_local_file_and_prints_the_contract_shape(tmp_path: Path) -> None:
    import json

    result = _cli(
        "ingest", str(FIXTURES / "ingest" / "wire_a.xml"), "--account", "Fennick Labs", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"account", "source", "fetched", "new", "duplicates", "rejected", "errors"} <= set(
        report
    )
    assert (report["account"], report["fetched"], report["new"]) == ("Fennick Labs", 2, 2)
