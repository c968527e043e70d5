"""Who published a signal, in words a person recognises: never a path or a source id."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HTTP = ("http", "https")
_SCHEME_ID = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")  # demo:file.xml, not "Reuters: Biz"


def site_of(url: str | None) -> str | None:
    """The host of an http(s) URL without a leading ``www.``; None for anything else."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _HTTP or not parts.hostname:
        return None
    return parts.hostname.removeprefix("www.")


def looks_like_locator(name: str) -> bool:
    """True for URLs, paths and ``scheme:rest`` ids, which are not publisher names."""
    text = name.strip()
    return (
        "/" in text
        or "\\" in text
        or bool(_SCHEME_ID.match(text))
        or (" " not in text and text.rsplit(".", 1)[-1].lower() in ("xml", "html", "json", "rss"))
    )


def display_publisher(stored_name: str, item_url: str | None) -> str:
    """For signals stored before names were cleaned: the item's site instead of a locator."""
    if stored_name and not looks_like_locator(stored_name):
        return stored_name
    return site_of(item_url) or site_of(stored_name) or "unknown publisher"
