"""Main-text extraction on real pages and junk-page detection."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.extraction_bench import token_f1
from dealscout.ingestion.extract import extract_article, reject_reason

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
BENCHMARK = json.loads((ARTICLES / "benchmark" / "ground_truth_subset.json").read_text())


def _expected_text(name: str) -> str:
    from lxml import html

    return html.fromstring((ARTICLES / name / "expected.html").read_text()).text_content()


@pytest.mark.parametrize("name", ["cnn", "nytimes-2"])
def test_readability_pages_match_expected_text(name):
    item = extract_article((ARTICLES / name / "source.html").read_bytes(), "https://example.com/a")
    metadata = json.loads((ARTICLES / name / "expected-metadata.json").read_text())
    assert token_f1(item.text, _expected_text(name)) >= 0.95
    assert item.title == metadata["title"]
    assert item.kind == "article" and item.reject_reason is None
    assert item.lead and item.lead in item.text.replace("\n", " ") or item.lead.endswith("…")
    assert "<" not in item.text and "function(" not in item.text


@pytest.mark.parametrize("key", ["4648a420af9984d4", "5ae11e580afc12d3"])
def test_benchmark_pages_match_ground_truth(key):
    entry = BENCHMARK[key]
    item = extract_article((ARTICLES / "benchmark" / f"{key}.html").read_bytes(), entry["url"])
    assert token_f1(item.text, entry["expected_articleBody"]) >= 0.85
    assert item.canonical_url and item.reject_reason is None


def test_stated_publication_time_is_used():
    item = extract_article((ARTICLES / "benchmark" / "4648a420af9984d4.html").read_bytes(), None)
    assert not item.date_missing
    assert item.published_at.date() == datetime(2018, 4, 9).date()
    assert item.published_at.tzinfo is not None


def test_page_without_date_falls_back_to_fetch_time():
    fetched = datetime(2024, 1, 2, tzinfo=UTC)
    page = "<html><head><title>T</title></head><body><article>" + "<p>Word " * 200 + "</article>"
    item = extract_article(page, None, fetched_at=fetched)
    assert item.date_missing and item.published_at == fetched


def test_scripts_styles_and_handlers_are_gone():
    body = "".join(f"<p onclick='steal()'>Sentence number {i} of the story.</p>" for i in range(40))
    page = (
        "<html><head><title>Story</title><style>p{color:red}</style></head><body><article>"
        f"<h1>Story</h1>{body}<script>alert('x')</script><noscript>enable js</noscript>"
        "<iframe src='javascript:alert(1)'>frame</iframe></article></body></html>"
    )
    item = extract_article(page.encode(), "https://example.com/story")
    assert "Sentence number 39" in item.text
    for bad in ("alert", "steal", "color:red", "<", "javascript"):
        assert bad not in item.text


def test_declared_charset_is_respected():
    text = "Le conseil d'administration a nommé une nouvelle présidente. " * 20
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Société</title></head>'
        f"<body><article><p>{text}</p></article></body></html>"
    )
    item = extract_article(page.encode("iso-8859-1"), None)
    assert "présidente" in item.text and item.title == "Société"


@pytest.mark.parametrize(
    "markup",
    ["<a " * 50_000, "<p><b><i>" * 30_000, "<div title='" + "x" * 400_000, "<!--" * 100_000],
)
def test_crafted_pages_are_linear(markup):
    started = time.monotonic()
    item = extract_article(markup.encode(), None)
    assert time.monotonic() - started < 3.0
    assert item.reject_reason is not None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("cloudflare_challenge.html", "bot challenge page"),
        ("captcha.html", "captcha page"),
        ("consent_wall.html", "consent wall"),
        ("login.html", "login page"),
        ("error_404.html", "error page"),
        ("js_shell.html", "empty JavaScript shell"),
    ],
)
def test_junk_pages_carry_a_reject_reason(name, reason):
    item = extract_article((ARTICLES / "junk" / name).read_bytes(), "https://news.example.com/x")
    assert item.reject_reason == reason


def test_long_articles_mentioning_junk_words_are_kept():
    text = " ".join(["The login page of the bank showed a 404 error and a captcha."] * 30)
    assert reject_reason("Bank outage", text, f"<html><p>{text}</p></html>") is None
    assert reject_reason("Just a moment...", text, "") == "bot challenge page"
