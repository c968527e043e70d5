"""Bytes that are no news document: images, archives, spreadsheets, empty text.

Given to ``ingest`` (or fetched from a source) they used to become signals ("What is
behind the news that �PNG?") and a CSV's rows attached to whatever account a cell named.
They are refused before parsing, with a one-line reason, and nothing is stored.
"""

from __future__ import annotations

import re
from collections import Counter

from dealscout.core.errors import Refused

MIN_WORDS = 5  # fewer words than this in a plain-text document: nothing to read
_HEAD = 8192
_NOT_NEWS = "not a news document: "
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", _NOT_NEWS + "a PNG image"),
    (b"\xff\xd8\xff", _NOT_NEWS + "a JPEG image"),
    (b"GIF87a", _NOT_NEWS + "a GIF image"),
    (b"GIF89a", _NOT_NEWS + "a GIF image"),
    (b"RIFF", _NOT_NEWS + "a RIFF media file"),
    (b"%PDF-", "unsupported document: a PDF file (give the page as HTML or plain text)"),
    (b"PK\x03\x04", _NOT_NEWS + "a ZIP archive or Office file (e.g. a spreadsheet)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _NOT_NEWS + "an Office binary file (e.g. .xls)"),
    (b"\x1f\x8b", _NOT_NEWS + "a gzip archive"),
    (b"\x7fELF", _NOT_NEWS + "an executable"),
)
_SPREADSHEET_TYPES = {
    "text/csv", "application/csv", "text/tab-separated-values", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
}  # fmt: skip
_DELIMITERS = (",", ";", "\t", "|")
_WORD = re.compile(r"\w+")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _looks_binary(head: bytes) -> bool:
    """Control bytes (other than whitespace and ESC) in more than 3% of the head. NUL
    bytes are dropped first, as UTF-16/32 text has them (the sniffer reads it that way
    too); text in any legacy encoding (Big5, Shift-JIS, KOI8-R…) has no control bytes."""
    data = head.replace(b"\x00", b"")
    if not data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > 0.03 * len(data)


def _looks_tabular(text: str) -> bool:
    """Lines, the first (a header) among them, that split into the same number of
    delimited fields and read as rows, not sentences (most do not end with a full stop):
    three lines of three or more fields, or four short lines of two fields each."""
    lines = [line.strip() for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3 or lines[0].lstrip("\ufeff").startswith(("<", "{", "[")):
        return False
    if sum(line.endswith((".", "!", "?")) for line in lines) * 2 >= len(lines):
        return False
    for delimiter in _DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        fields, share = counts.most_common(1)[0]
        if lines[0].count(delimiter) != fields or fields == 0:
            continue
        if fields >= 2 and share >= 0.8 * len(lines):
            return True
        if len(lines) >= 4 and share == len(lines) and max(map(len, lines)) <= 120:
            return True
    return False


def refuse_non_document(data: bytes, content_type: str | None) -> None:
    """Raise ``Refused`` for bytes that are empty, binary or a spreadsheet export."""
    head = data[:_HEAD]
    if not head.strip():
        raise Refused("empty document: nothing to read")
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            raise Refused(reason)
    if _looks_binary(head):
        raise Refused(_NOT_NEWS + "binary data")
    if _media_type(content_type) in _SPREADSHEET_TYPES:
        raise Refused(_NOT_NEWS + "a spreadsheet/CSV export")
    if _looks_tabular(head.decode("utf-8", errors="replace")):
        raise Refused(_NOT_NEWS + "tabular data (a CSV/spreadsheet export)")


def refuse_near_empty(text: str) -> None:
    """Raise ``Refused`` for plain text with fewer than ``MIN_WORDS`` words."""
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        raise Refused(f"near-empty document: {words} word{'s' if words != 1 else ''}")
