"""Secrets in source URLs never reach logs, task results or the names briefs display, and
SQL parameters (customer data) never reach logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from dealscout.core.config import get_settings
from dealscout.core.db import get_engine
from dealscout.core.redact import install_log_redaction, redact
from dealscout.flows import ingest as followups
from dealscout.ingestion import service
from dealscout.ingestion.models import Signal
from dealscout.ingestion.source_schemas import SourceCreate, SourceRead
from dealscout.ingestion.sources import create_source
from dealscout.ingestion.urlsafety import AddressPolicy
from tests.support.factories import create_member, create_workspace, open_session
from tests.support.httpserver import LoopbackServer

SECRETS = ("hunter2", "sk-live-123", "tok-456", "s3cr3t", "abc-sig")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("https://alice:hunter2@feeds.example/x", "https://***@feeds.example/x"),
        ("https://feeds.example/x?api_key=sk-live-123&page=2",
         "https://feeds.example/x?api_key=***&page=2"),
        ("https://feeds.example/x?token=tok-456", "https://feeds.example/x?token=***"),
        ("https://feeds.example/x?page=1&key=s3cr3t", "https://feeds.example/x?page=1&key=***"),
        ("https://s3.example/o?X-Amz-Signature=abc-sig&sig=abc-sig",
         "https://s3.example/o?X-Amz-Signature=***&sig=***"),
        ("https://feeds.example/x?client_secret=s3cr3t", "https://feeds.example/x?client_secret=***"),
        ("fetch failed for postgresql://app:hunter2@db:5432/x",
         "fetch failed for postgresql://***@db:5432/x"),
        ("https://feeds.example/x?page=2&monkey=banana", "https://feeds.example/x?page=2&monkey=banana"),
        ("plain words, no URL", "plain words, no URL"),
    ],
)  # fmt: skip
def test_redact(raw: str, shown: str) -> None:
    assert redact(raw) == shown


def test_log_records_are_redacted_wherever_they_go(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    log = logging.getLogger("dealscout.test")
    url = "https://alice:hunter2@feeds.example/x?api_key=sk-live-123"
    with caplog.at_level(logging.INFO):
        log.info("fetching %s", url)
        log.warning("failed: " + url)
        try:
            raise RuntimeError(f"cannot fetch {url}")
        except RuntimeError:
            log.exception("task failed")
    shown = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "feeds.example" in shown and "Traceback" in shown
    assert not any(secret in shown for secret in SECRETS), shown


def test_sql_parameters_stay_out_of_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    engine = get_engine(get_settings().sqlalchemy_url)
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"), engine.connect() as conn:
        engine.echo = True
        try:
            with pytest.raises(StatementError) as raised:
                conn.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": "hunter2"})
        finally:
            engine.echo = False
    assert "hunter2" not in str(raised.value)
    assert "hunter2" not in caplog.text and "no_such_table" in caplog.text


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    db = open_session(get_settings())
    yield db
    db.close()


def test_source_names_results_and_errors_show_no_secret(session: Session) -> None:
    member = create_member(session, create_workspace(session, "acme"), "m@acme.test", "manager")
    policy = AddressPolicy.build(allow_private=True)
    with LoopbackServer() as server:
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
            "<title>Acme opens an office</title><link>https://news.example/1</link>"
            "<description>Acme opens an office in Lyon.</description></item></channel></rss>"
        )
        server.text("/feed.xml", feed, content_type="application/rss+xml")
        url = server.url("/feed.xml").replace("://", "://alice:hunter2@") + "?api_key=sk-live-123"
        source = create_source(session, member.user, SourceCreate(url=url), policy)
        assert source.url == url  # kept whole: it is needed to fetch
        report = followups.fetch_and_follow_up(session, get_settings(), source)
        broken = service.source_for(session, member.user.workspace_id,
                                    url.replace("/feed.xml", "/missing"), None)  # fmt: skip
        failed = followups.fetch_and_follow_up(session, get_settings(), broken)
    session.commit()
    assert report.failure is None and report.new == 1
    shown = [
        source.name,
        str(report.public()),
        str(failed.public()),
        broken.name,
        broken.last_error or "",
        SourceRead.model_validate(source).model_dump_json(),
        SourceRead.model_validate(broken).model_dump_json(),
        *(s.source_name for s in session.query(Signal)),
    ]
    assert "HTTP 404" in str(failed.public())
    for text_shown in shown:
        assert not any(secret in text_shown for secret in SECRETS), text_shown
