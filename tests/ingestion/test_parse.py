"""Feed parsing and document sniffing on real fixture feeds and hostile inputs."""

from __future__ import annotations

import re
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dealscout.core.errors import Refused
from dealscout.ingestion.parse import guard_xml, parse_document, parse_feed, sniff
from dealscout.ingestion.schemas import RawItem

FIXTURES = Path(__file__).parents[1] / "fixtures"
FEEDS = sorted((FIXTURES / "feeds").rglob("*.xml")) + sorted((FIXTURES / "feeds").rglob("*.json"))
EDGE = FIXTURES / "feeds" / "edge_cases"
NEWS = FIXTURES / "feeds" / "news"
HOSTILE = FIXTURES / "hostile"
FETCHED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
# Markup, handlers and script URLs; "JavaScript: tips" in a headline is just text.
DANGEROUS = re.compile(
    r"<\s*/?\s*(script|iframe|svg|form|style|img|a|input)\b|\bon[a-z]+\s*=|javascript:\s*\w+\(",
    re.IGNORECASE,
)


def _header(path: Path, name: str) -> str | None:
    match = re.search(rf"{name}:\s*Content-type:\s*(\S+)", path.read_text(errors="replace"))
    return match.group(1) if match else None


def feed(path: Path, **kwargs: object):
    return parse_feed(
        path.read_bytes(),
        content_type=kwargs.get("content_type"),
        url=kwargs.get("url", "https://example.org/feed"),
        fetched_at=FETCHED,
    )


def assert_clean(item: RawItem) -> None:
    for value in (item.title, item.summary, item.text, item.lead, item.author or ""):
        assert not DANGEROUS.search(value), value
    assert item.published_at.tzinfo is not None and item.published_at.utcoffset() == timedelta(0)
    assert item.url is None or item.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_every_fixture_feed_parses_or_is_refused_cleanly(path):
    try:
        document = parse_document(
            path.read_bytes(), content_type=_header(path, "Header"), url=None, fetched_at=FETCHED
        )
    except Refused as exc:
        assert str(exc)
        return
    assert document.kind in ("feed", "article")
    for item in document.items:
        assert_clean(item)


def test_real_news_feeds_yield_their_items():
    counts = {p.name: len(feed(p).items) for p in sorted(NEWS.glob("*.xml"))}
    assert counts["guardian_rss.xml"] == 55
    assert counts["washingtonpost_wellness_rss.xml"] == 29
    assert counts["heise_atom.xml"] == 15
    assert counts["aws_blog_2009_atom.xml"] == 10  # leading blank line before <?xml
    guardian = feed(NEWS / "guardian_rss.xml").items[0]
    assert guardian.title.startswith("Trump State of the Union")
    assert guardian.canonical_url and "utm_" not in guardian.canonical_url
    assert guardian.published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert not guardian.date_missing and guardian.lead and guardian.text


def test_undeclared_latin1_feed_is_decoded_with_a_warning():
    parsed = feed(NEWS / "uol_noticias_rss.xml")
    assert len(parsed.items) == 15 and parsed.warnings
    assert any("ção" in item.title or "ã" in item.title for item in parsed.items)


def test_missing_dates_fall_back_to_fetch_time():
    item = feed(EDGE / "wellformed__sanitize__entry_content_script.xml").items[0]
    assert item.date_missing and item.published_at == FETCHED


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "wellformed__rss__item_dc_date_parsed.xml",
            datetime(2003, 12, 31, 10, 14, 55, tzinfo=UTC),
        ),
        (
            "wellformed__rss__item_pubDate_map_updated_parsed.xml",
            datetime(2004, 1, 1, 19, 48, 21, tzinfo=UTC),
        ),
    ],
)
def test_dates_are_utc(name, expected):
    assert feed(EDGE / name).items[0].published_at == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wellformed__sanitize__entry_content_script.xml", "safe description"),
        ("wellformed__sanitize__entry_content_script_base64.xml", "safe description"),
        ("wellformed__sanitize__entry_summary_iframe.xml", "safe"),
        (
            "wellformed__sanitize__entry_content_crazy.xml",
            "Did The Javascript Execute?\n\nI will execute here, too, if you mouse over me",
        ),
        (
            "wellformed__sanitize__item_description_crazy.xml",
            "Did The Javascript Execute?\n\nI will execute here, too, if you mouse over me",
        ),
        ("encoding__double-encoded-html.xml", "…"),
        (
            "wellformed__namespace__rss2.0NSwithModulesNoDefNSLocalNameClash.xml",
            "correct description",
        ),
    ],
)
def test_feedparser_expectations_hold_as_plain_text(name, expected):
    item = feed(EDGE / name).items[0]
    assert item.text == expected
    assert_clean(item)


def test_feed_titles_and_encodings():
    assert feed(EDGE / "illformed__always_strip_doctype.xml").title == "found"
    assert feed(EDGE / "encoding__euc-kr.xml").title == "\ub144"
    assert not feed(EDGE / "encoding__utf-16le-bom.xml").warnings
    koi8 = feed(EDGE / "illformed__chardet__koi8r.xml")
    assert koi8.items[0].title == "Как пережить новогоднюю ночь" and koi8.warnings


def test_malformed_feed_yields_items_and_a_warning():
    parsed = feed(EDGE / "illformed__rdf_channel_empty_textinput.xml")
    assert parsed.items and parsed.warnings[0].startswith("malformed feed")


def test_json_feed():
    parsed = feed(EDGE / "json__example.json", content_type="application/feed+json")
    assert parsed.title == "My Example Feed"
    assert [i.title for i in parsed.items] == ["post 2", ""]
    assert parsed.items[1].text == "Hello, world!" and parsed.items[1].author == "you"
    assert parsed.items[0].url == "https://example.org/second-item"


def test_hostile_markup_is_reduced_to_text():
    parsed = feed(HOSTILE / "sanitize_feed.xml")
    first, second = parsed.items
    for item in parsed.items:
        assert_clean(item)
    assert not DANGEROUS.search(parsed.title)
    assert first.title == "Plain text title with raw markup"
    assert first.url is None  # javascript: link dropped
    assert "Body starts." in first.text and "Body ends." in first.text
    assert "Summary text" in first.summary
    assert first.published_at == datetime(2024, 2, 29, 18, 0, tzinfo=UTC)
    assert second.text == "xhtml bold" and second.date_missing


@pytest.mark.parametrize(
    "name",
    [
        "billion_laughs.xml",
        "billion_laughs_utf16.xml",
        "quadratic_blowup.xml",
        "xxe_passwd.xml",
        "xxe_parameter_entity.xml",
    ],
)
def test_entity_attacks_are_refused_in_bounded_time_and_memory(name):
    data = (HOSTILE / name).read_bytes()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(Refused, match="entity declarations"):
            parse_document(data, content_type="application/rss+xml", url=None, fetched_at=FETCHED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1.0
    assert peak < 10 * 1024 * 1024


def test_entity_declaration_hidden_after_a_comment_is_still_found():
    data = b'<?xml version="1.0"?><!DOCTYPE r [ <!-- <a> --> <!ENTITY x "y"> ]><rss/>'
    with pytest.raises(Refused):
        guard_xml(data)


def test_external_dtd_without_entities_is_allowed():
    guard_xml((EDGE / "illformed__always_strip_doctype.xml").read_bytes())


def test_bytes_that_look_like_a_path_are_not_opened():
    with pytest.raises(Refused, match="unparseable"):
        parse_feed(b"/etc/passwd", content_type="application/xml", url=None, fetched_at=FETCHED)


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?><rss version='2.0'/>", None, "feed"),
        (b"<!-- c --><feed xmlns='http://www.w3.org/2005/Atom'/>", "text/html", "feed"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "application/xml", "html"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', None, "json"),
        (b"[]", "text/plain", "json"),
        (b"Plain words", "text/plain", "text"),
        (b"<p>fragment</p>", None, "html"),
    ],
)
def test_sniff(data, content_type, kind):
    assert sniff(data, content_type) == kind


def test_parse_document_dispatches_by_kind():
    page = (FIXTURES / "articles" / "cnn" / "source.html").read_bytes()
    article = parse_document(
        page, content_type="text/html", url="https://money.cnn.com/x", fetched_at=FETCHED
    )
    assert article.kind == "article" and article.items[0].kind == "article"
    board = (FIXTURES / "jobs" / "gtm-signal-engine_lever_jobs.json").read_bytes()
    jobs = parse_document(board, content_type="application/json", url=None, fetched_at=FETCHED)
    assert jobs.kind == "jobs" and len(jobs.items) == 8
    careers = (FIXTURES / "jobs" / "careers_single_jobposting.html").read_bytes()
    assert (
        parse_document(careers, content_type="text/html", url=None, fetched_at=FETCHED).kind
        == "jobs"
    )
    text = parse_document(
        "Acme raises $10M\n\nAcme said on Monday…".encode(),
        content_type="text/plain; charset=utf-8",
        url=None,
        fetched_at=FETCHED,
    )
    assert text.kind == "article" and text.items[0].title == "Acme raises $10M"
    with pytest.raises(Refused, match="unrecognised JSON"):
        parse_document(b'{"hello": "world"}', content_type=None, url=None, fetched_at=FETCHED)
    with pytest.raises(Refused, match="unparseable JSON"):
        parse_document(b"[" * 100_000, content_type=None, url=None, fetched_at=FETCHED)
