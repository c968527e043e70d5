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
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF media file"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive or Office file (e.g. a spreadsheet)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office binary file (e.g. an .xls spreadsheet)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
_SPREADSHEET_TYPES = {
    "text/csv", "application/csv", "text/tab-separated-values", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
}  # fmt: skip
_DELIMITERS = (",", ";", "\t", "|")
_WORD = re.compile(r"\w+")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _looks_binary(head: bytes) -> bool:
    """Control characters or undecodable bytes in more than a tenth of the head.

    UTF-16 text is read with its NUL bytes dropped, as the sniffer does."""
    text = head.replace(b"\x00", b"").decode("utf-8", errors="replace")
    if not text:
        return False
    odd = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return odd > len(text) / 10


def _looks_tabular(text: str) -> bool:
    """At least three lines, the first (a header) among them, that split into the same
    number (≥ 3) of delimited fields and read as rows, not sentences (most do not end with
    a full stop)."""
    lines = [line.strip() for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3 or lines[0].lstrip("\ufeff").startswith(("<", "{", "[")):
        return False
    if sum(line.endswith((".", "!", "?")) for line in lines) * 2 >= len(lines):
        return False
    for delimiter in _DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        fields, share = counts.most_common(1)[0]
        if fields >= 2 and share >= 0.8 * len(lines) and lines[0].count(delimiter) == fields:
            return True
    return False


def refuse_non_document(data: bytes, content_type: str | None) -> None:
    """Raise ``Refused`` for bytes that are empty, binary or a spreadsheet export."""
    head = data[:_HEAD]
    if not head.strip():
        raise Refused("empty document: nothing to read")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise Refused(f"not a news document: {what}")
    if _looks_binary(head):
        raise Refused("not a news document: binary data")
    if _media_type(content_type) in _SPREADSHEET_TYPES:
        raise Refused("not a news document: a spreadsheet/CSV export")
    if _looks_tabular(head.decode("utf-8", errors="replace")):
        raise Refused("not a news document: tabular data (a CSV/spreadsheet export)")


def refuse_near_empty(text: str) -> None:
    """Raise ``Refused`` for plain text with fewer than ``MIN_WORDS`` words."""
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        raise Refused(f"near-empty document: {words} word{'s' if words != 1 else ''}")
