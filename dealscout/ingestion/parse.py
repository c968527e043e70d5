"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) and the sniffing entry point for any document."""

from __future__ import annotations

import calendar
import io
import json
import re
from datetime import UTC, datetime
from typing import Any, Literal, NoReturn
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

import feedparser
from lxml import etree

from dealscout.core.config import get_settings
from dealscout.core.deadline import check_deadline
from dealscout.core.errors import Refused
from dealscout.ingestion import extract, jobs
from dealscout.ingestion.dedupe import canonical_url, content_hash
from dealscout.ingestion.documents import refuse_near_empty, refuse_non_document
from dealscout.ingestion.redirects import entry_link, unwrap
from dealscout.ingestion.sanitize import make_lead, normalize_space, one_line, to_text
from dealscout.ingestion.schemas import ParsedDocument, ParsedFeed, RawItem, parse_date

_JSON_TYPES = ("application/json", "application/feed+json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_COMMENT = re.compile(rb"<!--.*?(-->|$)", re.DOTALL)
_FIRST_TAG = re.compile(rb"<([a-z][\w:.-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf", b"channel"}  # local names, any prefix
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
Sniffed = Literal["feed", "json", "html", "text"]
# Items kept per document (feeds list the newest first); a 13k-item feed is cut here.
MAX_ITEMS = 500  # the default of DEALSCOUT_FEED_MAX_ITEMS


class _RootReached(Exception):
    """Raised by the guard's expat handler: the prolog is over and was clean."""


def _refuse_entities(*_args: object) -> NoReturn:
    raise Refused("refused XML: entity declarations are not allowed (entity expansion / XXE)")


def _stop(*_args: object) -> NoReturn:
    raise _RootReached


def guard_xml(data: bytes) -> None:
    """Refuse XML whose DOCTYPE declares entities (billion laughs, quadratic blowup, XXE).

    expat reads only the prolog: it stops at the root element, and a declaration raises
    before any expansion, so the check costs O(prolog). If expat cannot read the prolog
    (unknown encoding, broken XML), any ``<!ENTITY`` in the bytes is refused instead.
    """
    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_entities
    parser.StartElementHandler = _stop
    try:
        parser.Parse(data, True)
    except _RootReached:
        return
    except (expat.ExpatError, LookupError, ValueError):
        if b"<!ENTITY" in data.replace(b"\x00", b""):
            _refuse_entities()


def _feedparser_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _absolute_http(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    absolute = urljoin(base or "", link.strip())
    return unwrap(absolute) if urlsplit(absolute).scheme in ("http", "https") else None


def _item(
    *,
    guid: str | None,
    link: str | None,
    base_url: str | None,
    title: str | None,
    summary_html: str | None,
    content_html: str | None,
    published: datetime | None,
    author: str | None,
    fetched_at: datetime,
    site_name: str | None = None,
) -> RawItem:
    check_deadline("parsing the document")
    url = _absolute_http(link, base_url)
    summary = to_text(summary_html)
    text = to_text(content_html) or summary
    clean_title = one_line(title)
    return RawItem(
        guid=(guid or "").strip() or url or content_hash(clean_title + "\n" + text),
        url=url,
        canonical_url=canonical_url(url) if url else None,
        title=clean_title,
        summary=summary,
        text=text,
        lead=make_lead(summary or text),
        published_at=published or fetched_at,
        date_missing=published is None,
        author=one_line(author) or None,
        site_name=one_line(site_name) or None,
        kind="entry",
    )


def _entry_to_item(entry: Any, base_url: str | None, fetched_at: datetime) -> RawItem:
    """One feed entry; FeedBurner's ``origLink`` and an RSS ``<source>`` name the publisher."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    source = entry.get("source")
    return _item(
        guid=entry.get("id"),
        link=entry_link(entry.get("link"), entry.get("feedburner_origlink"), entry.get("id")),
        base_url=base_url,
        title=entry.get("title"),
        summary_html=entry.get("summary"),
        content_html=max(contents, key=len) if contents else None,
        published=_feedparser_date(entry),
        author=entry.get("author"),
        fetched_at=fetched_at,
        site_name=source.get("title") if isinstance(source, dict) else None,
    )


def _max_items() -> int:
    """Items read per document (``DEALSCOUT_FEED_MAX_ITEMS``, default ``MAX_ITEMS``)."""
    return get_settings().feed_max_items


def _capped(entries: list[Any], warnings: list[str]) -> list[Any]:
    limit = _max_items()
    if not isinstance(entries, list) or len(entries) <= limit:
        return entries if isinstance(entries, list) else []
    warnings.append(_cap_warning(len(entries)))
    return entries[:limit]


def _cap_warning(count: int) -> str:
    return f"the document has {count} items; only the first {_max_items()} are read"


_ENTRY_TAGS = ("item", "entry")


def _local_name(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def trim_entries(data: bytes, limit: int | None = None) -> tuple[bytes, int]:
    """The feed without its entries past ``limit``, so feedparser (milliseconds per entry)
    never reads thousands of them; also how many entries were dropped. lxml (C, linear, no
    entity or network access) parses and re-serialises the XML; a feed with fewer entry tags
    than ``limit`` is left as it is."""
    limit = _max_items() if limit is None else limit
    lowered = data.lower()
    if lowered.count(b"<item") + lowered.count(b"<entry") + lowered.count(b":item") <= limit:
        return data, 0
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data, 0
    if root is None:
        return data, 0
    entries = [e for e in root.iter() if _local_name(e) in _ENTRY_TAGS]
    for entry in entries[limit:]:
        parent = entry.getparent()
        if parent is not None:
            parent.remove(entry)
    dropped = max(0, len(entries) - limit)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True)), dropped


def _parse_xml_feed(
    data: bytes, content_type: str | None, url: str | None, fetched_at: datetime
) -> ParsedFeed:
    guard_xml(data)
    # blank lines before <?xml upset strict parsers
    data, dropped = trim_entries(data.lstrip(b" \t\r\n"))
    headers = {"content-type": content_type or "application/xml"}
    if url:
        headers["content-location"] = url
    # Bytes in a stream: given a str (or bytes path) feedparser would open files or URLs.
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    warnings = [_cap_warning(_max_items() + dropped)] if dropped else []
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings.append(f"malformed feed: {type(exc).__name__}: {str(exc)[:200]}")
    if not parsed.get("version") and not parsed.entries:
        raise Refused("unparseable feed: " + (warnings[0] if warnings else "no feed found"))
    items = [_entry_to_item(e, url, fetched_at) for e in _capped(parsed.entries, warnings)]
    return ParsedFeed(title=one_line(parsed.feed.get("title")), items=items, warnings=warnings)


def _json_feed_author(entry: dict[str, Any]) -> str | None:
    author = entry.get("author") or next(iter(entry.get("authors") or []), None)
    return author.get("name") if isinstance(author, dict) else None


def _parse_json_feed(document: dict[str, Any], url: str | None, fetched_at: datetime) -> ParsedFeed:
    items: list[RawItem] = []
    warnings: list[str] = []
    for entry in _capped(document.get("items") or [], warnings):
        if not isinstance(entry, dict):
            warnings.append("skipped a JSON Feed item that is not an object")
            continue
        items.append(
            _item(
                guid=str(entry.get("id") or ""),
                link=entry.get("url") or entry.get("external_url"),
                base_url=url,
                title=entry.get("title"),
                summary_html=entry.get("summary"),
                content_html=entry.get("content_html") or entry.get("content_text"),
                published=parse_date(entry.get("date_published") or entry.get("date_modified")),
                author=_json_feed_author(entry),
                fetched_at=fetched_at,
            )
        )
    return ParsedFeed(title=one_line(document.get("title")), items=items, warnings=warnings)


def _is_json_feed(document: object) -> bool:
    return isinstance(document, dict) and "jsonfeed.org" in str(document.get("version", ""))


def _load_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Refused(f"unparseable JSON: {str(exc)[:200]}") from exc


def parse_feed(
    data: bytes, *, content_type: str | None, url: str | None, fetched_at: datetime
) -> ParsedFeed:
    """Items of an RSS/Atom/JSON feed, every text field plain and every date UTC.

    Raises ``Refused`` for hostile XML (entity declarations) and for bytes that are no feed.
    """
    if sniff(data, content_type) == "json":
        document = _load_json(data)
        if not _is_json_feed(document):
            raise Refused("unparseable feed: JSON that is not a JSON Feed")
        return _parse_json_feed(document, url, fetched_at)
    return _parse_xml_feed(data, content_type, url, fetched_at)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff(data: bytes, content_type: str | None) -> Sniffed:
    """What the bytes are, by their first element first and the declared type second."""
    head = data[:8192].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    media = _media_type(content_type)
    if head.startswith((b"{", b"[")) or (media in _JSON_TYPES and not head.startswith(b"<")):
        return "json"
    first = _FIRST_TAG.search(_COMMENT.sub(b"", head))
    root = first.group(1).rsplit(b":", 1)[-1] if first else b""
    if root in _FEED_ROOTS:
        return "feed"
    if root == b"html" or b"<!doctype html" in head or media in _HTML_TYPES:
        return "html"
    if head.startswith(b"<?xml") or media.endswith("xml"):
        return "feed"
    return "html" if head.startswith(b"<") else "text"


def decode_text(data: bytes, content_type: str | None) -> str:
    """Bytes of a text/plain document as str: declared charset, else UTF-8 (lenient)."""
    match = _CHARSET.search(content_type or "")
    try:
        return data.decode(match.group(1) if match else "utf-8-sig", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _text_item(text: str, url: str | None, fetched_at: datetime) -> RawItem:
    text = normalize_space(text)
    first_line = text.split("\n", 1)[0]
    return RawItem(
        guid=url or content_hash(text),
        url=url,
        canonical_url=canonical_url(url) if url else None,
        title=first_line[:200],
        text=text,
        lead=make_lead(text),
        published_at=fetched_at,
        date_missing=True,
        kind="article",
    )


def _feed_document(feed: ParsedFeed) -> ParsedDocument:
    return ParsedDocument(kind="feed", title=feed.title, items=feed.items, warnings=feed.warnings)


def parse_document(
    data: bytes, *, content_type: str | None, url: str | None, fetched_at: datetime
) -> ParsedDocument:
    """Sniff a fetched document and parse it as a feed, a job board/careers page or an article.

    Raises ``Refused`` for what is no document: empty or near-empty text, binary files,
    spreadsheet exports (see ``documents``)."""
    refuse_non_document(data, content_type)
    kind = sniff(data, content_type)
    if kind == "json":
        document = _load_json(data)
        if _is_json_feed(document):
            return _feed_document(_parse_json_feed(document, url, fetched_at))
        warnings: list[str] = []
        board = _capped(jobs.parse_job_board(document, url=url, fetched_at=fetched_at), warnings)
        return ParsedDocument(kind="jobs", items=board, warnings=warnings)
    if kind == "feed":
        return _feed_document(_parse_xml_feed(data, content_type, url, fetched_at))
    if kind == "html":
        postings = jobs.parse_jobposting_html(data, url=url, fetched_at=fetched_at)
        if postings:  # a careers page: its title names the publisher
            warnings = []
            return ParsedDocument(
                kind="jobs",
                title=extract.page_title(data),
                items=_capped(postings, warnings),
                warnings=warnings,
            )
        article = extract.extract_article(data, url, fetched_at=fetched_at)
        return ParsedDocument(kind="article", title=article.title, items=[article])
    item = _text_item(decode_text(data, content_type), url, fetched_at)
    refuse_near_empty(item.text)
    return ParsedDocument(kind="article", title=item.title, items=[item])
