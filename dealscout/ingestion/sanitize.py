"""Untrusted markup → plain text. Every text field of every item goes through ``to_text``."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

# Tags kept only long enough to turn them into line breaks; everything else is unwrapped.
_BLOCK_TAGS = {
    "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "td", "th", "table", "blockquote", "pre", "section", "article", "hr", "dd", "dt",
}  # fmt: skip
# Tags dropped together with everything inside them.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "noscript", "template", "object", "embed", "svg", "math",
    "textarea", "select", "title", "head",
}  # fmt: skip
_TAG = re.compile(r"<[^>]*>")
_TAG_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# The HTML parser's cost grows with the square of the nesting depth (200,000 unclosed
# <div>s took minutes); deeper tags are flattened first, in one linear pass.
MAX_DEPTH = 100
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
# control characters, and zero-width spaces, which render as nothing: dropped (a space
# in their place would split the word they hide in, "Ig\u200bnore", into two)
_CONTROL = dict.fromkeys([c for c in range(32) if c not in (9, 10, 13)] + [0x200B, 0x2060, 0xFEFF])
_MAX_PASSES = 3


def to_text(markup: str | None) -> str:
    """Plain text of an HTML (or plain-text) fragment: no tags, scripts, styles or handlers.

    Runs until stable so escaped markup (``&lt;script&gt;``) cannot survive as tags.
    """
    text = markup or ""
    for _ in range(_MAX_PASSES):
        if "<" not in text and "&" not in text:
            break
        cleaned = nh3.clean(
            flatten_deep(text),
            tags=_BLOCK_TAGS,
            clean_content_tags=_DROP_WITH_CONTENT,
            attributes={},
            strip_comments=True,
        )
        unescaped = html.unescape(_TAG.sub("\n", cleaned))
        if unescaped == text:
            break
        text = unescaped
    return normalize_space(text)


def flatten_deep(markup: str, max_depth: int = MAX_DEPTH) -> str:
    """``markup`` with every tag nested deeper than ``max_depth`` replaced by what cleaning
    would make of it anyway (a line break for a block tag, nothing for another); from a
    deep tag whose content is dropped (``<script>``…) on, the rest is cut. Linear time."""
    if markup.count("<") <= max_depth:
        return markup
    pieces: list[str] = []
    depth, last = 0, 0
    for match in _TAG_TOKEN.finditer(markup):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            deep, depth = depth > max_depth, max(0, depth - 1)
        elif name in _VOID_TAGS or self_closing:
            deep = depth >= max_depth
        else:
            depth += 1
            deep = depth > max_depth
        if not deep:
            continue
        pieces.append(markup[last : match.start()])
        last = match.end()
        if name in _DROP_WITH_CONTENT and not closing:
            return "".join(pieces)
        pieces.append("\n" if name in _BLOCK_TAGS else "")
    pieces.append(markup[last:])
    return "".join(pieces)


def normalize_space(text: str) -> str:
    """NFC, no control characters, single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_CONTROL)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str | None) -> str:
    """A title-like field: plain text on one line."""
    return " ".join(to_text(text).split())


def make_lead(text: str, max_chars: int = 300) -> str:
    """The first paragraph of ``text``, cut at a word boundary to at most ``max_chars``."""
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if len(paragraph.split()) >= 5 or paragraph == text.strip():
            break
    else:
        paragraph = " ".join(text.split())
    if len(paragraph) <= max_chars:
        return paragraph
    cut = paragraph[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
