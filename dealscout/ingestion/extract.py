"""Main text of an HTML page (trafilatura, lxml only) and detection of non-content pages.

trafilatura was chosen over readability-lxml and BeautifulSoup ``get_text`` by F1 and
speed on real pages (``bench/extraction_bench.py``); it also returns title and author in
the same pass, and readability-lxml is only a development dependency.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import trafilatura
from lxml.etree import ParserError

from dealscout.ingestion.dedupe import canonical_url, content_hash
from dealscout.ingestion.sanitize import make_lead, normalize_space, one_line
from dealscout.ingestion.schemas import RawItem, parse_date

MAX_ELEMENTS = 50_000  # trafilatura costs ~40 µs per element; real articles have a few thousand
SHORT_WORDS = 150  # below this, a page may be junk judged by its title and visible text
TINY_WORDS = 30  # below this, markers anywhere in the HTML count too
_SCAN_CHARS = 300_000

_DATE_XPATHS = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished' or @name='pubdate'"
    " or @name='parsely-pub-date' or @name='sailthru.date' or @name='dc.date.issued'"
    " or @name='DC.date.issued' or @name='date']/@content",
    "//time[@itemprop='datePublished' or @pubdate]/@datetime",
)
_CHALLENGE_TITLE = re.compile(
    r"^\s*(just a moment|attention required|please wait\b|verifying you are human"
    r"|are you a robot|ddos-guard|one more step|security check)",
    re.IGNORECASE,
)
_CHALLENGE_MARKERS = (
    "/cdn-cgi/challenge-platform/", "cf-browser-verification", "window._cf_chl_opt",
    "cf-challenge-running", "challenges.cloudflare.com/turnstile", "/_incapsula_resource",
    "px-captcha", "ddos-guard.net/", "geo.captcha-delivery.com",
)  # fmt: skip
_CAPTCHA_TEXT = re.compile(
    r"captcha|verify (that )?you are (a )?human|are you a robot|unusual traffic from your"
    r"|press (&|and) hold",
    re.IGNORECASE,
)
_CAPTCHA_HTML = re.compile(r"g-recaptcha|h-captcha|cf-turnstile|recaptcha/api\.js", re.IGNORECASE)
_ERROR_TITLE = re.compile(
    r"\b(page not found|not found|404|410 gone|server error|service unavailable|bad gateway"
    r"|access denied|403 forbidden|forbidden|page (doesn'?t|does not) exist|error \d{3})\b",
    re.IGNORECASE,
)
_LOGIN_TITLE = re.compile(r"\b(sign ?in|log ?in|login)\b", re.IGNORECASE)
_PASSWORD_INPUT = re.compile(r"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
_CONSENT_TEXT = re.compile(
    r"we value your privacy|before you continue|accept all cookies|cookie (settings|preferences)"
    r"|(manage|review) (your )?(privacy|cookie|consent)|we and our (\d+ )?partners",
    re.IGNORECASE,
)
_CONSENT_HTML = re.compile(
    r"consent\.(google|yahoo)|__tcfapi|onetrust-consent|didomi|cookiebot|qc-cmp", re.IGNORECASE
)
_JS_SHELL = re.compile(
    r"<div[^>]+id=[\"'](root|app|__next|__nuxt|svelte)[\"'][^>]*>\s*</div>"
    r"|(enable|turn on) javascript|javascript is (required|disabled)|requires javascript",
    re.IGNORECASE,
)


def reject_reason(title: str, text: str, html: str) -> str | None:
    """Why a page is no article (bot challenge, error, login, consent wall, empty JS shell),
    or None. Long pages are only rejected for unmistakable bot-challenge markers."""
    page = html[:_SCAN_CHARS].lower()
    if _CHALLENGE_TITLE.search(title) or any(marker in page for marker in _CHALLENGE_MARKERS):
        return "bot challenge page"
    words = len(text.split())
    if words >= SHORT_WORDS:
        return None
    tiny = words < TINY_WORDS
    heading = f"{title}\n{text[:400]}"
    checks = (
        (_CAPTCHA_TEXT.search(heading) or (tiny and _CAPTCHA_HTML.search(page)), "captcha page"),
        (_ERROR_TITLE.search(title) or (tiny and _ERROR_TITLE.search(text)), "error page"),
        (_LOGIN_TITLE.search(title) or (tiny and _PASSWORD_INPUT.search(page)), "login page"),
        (_CONSENT_TEXT.search(heading) or (tiny and _CONSENT_HTML.search(page)), "consent wall"),
        (
            tiny and (_JS_SHELL.search(page) or (not words and "<script" in page)),
            "empty JavaScript shell",
        ),
        (not words, "no main text"),
    )
    return next((reason for hit, reason in checks if hit), None)


def json_ld_blocks(tree: Any) -> Iterator[Any]:
    """The parsed JSON-LD blocks of a page; unreadable blocks are skipped."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            yield json.loads(script)
        except (ValueError, RecursionError):
            continue


def _json_ld_date(tree: Any) -> datetime | None:
    for data in json_ld_blocks(tree):
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict) and (found := parse_date(node.get("datePublished"))):
                return found
    return None


def stated_date(tree: Any) -> datetime | None:
    """The publication time the page states in its metadata, JSON-LD or ``<time>``."""
    for xpath in _DATE_XPATHS:
        for value in tree.xpath(xpath):
            found = parse_date(str(value))
            if found:
                return found
    return _json_ld_date(tree)


def load_tree(html: bytes | str) -> Any:
    """An lxml tree of the page, charset sniffed by trafilatura (lxml's parser is linear on
    crafted markup where ``html.parser`` is quadratic), or None if it is not HTML."""
    try:
        return trafilatura.load_html(html)
    except (ParserError, ValueError):
        return None


def _page_title(tree: Any) -> str:
    return one_line(tree.findtext(".//title") or "") if tree is not None else ""


def page_title(html: bytes) -> str:
    """The ``<title>`` of a page as plain text ("" when there is none)."""
    return _page_title(load_tree(html))


def extract_article(
    html: bytes | str, url: str | None, *, fetched_at: datetime | None = None
) -> RawItem:
    """The page as one ``kind="article"`` item; junk pages carry a ``reject_reason``."""
    fetched_at = fetched_at or datetime.now(UTC)
    tree = load_tree(html)
    published = stated_date(tree) if tree is not None else None
    page_title = _page_title(tree)
    elements = sum(1 for _ in tree.iter()) if tree is not None else 0
    document = None
    if tree is not None and elements <= MAX_ELEMENTS:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    text = normalize_space(getattr(document, "text", None) or "")
    title = one_line(getattr(document, "title", None)) or page_title
    published = published or parse_date(getattr(document, "date", None))
    raw = html if isinstance(html, str) else html.decode("utf-8", errors="replace")
    return RawItem(
        guid=url or content_hash(title + "\n" + text),
        url=url,
        canonical_url=canonical_url(url) if url else None,
        title=title,
        text=text,
        lead=make_lead(text),
        published_at=published or fetched_at,
        date_missing=published is None,
        author=one_line(getattr(document, "author", None)) or None,
        site_name=one_line(getattr(document, "sitename", None)) or None,
        kind="article",
        reject_reason=(
            f"page too complex to extract ({elements} elements)"
            if elements > MAX_ELEMENTS
            else reject_reason(page_title or title, text, raw)
        ),
    )
