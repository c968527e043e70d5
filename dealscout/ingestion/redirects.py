"""Alert and aggregator links unwrapped to the publisher's URL, and the publisher's name.

Google Alerts links every entry through ``https://www.google.com/url?…&url=<real>``,
FeedBurner through ``feedproxy.google.com/~r/…`` (the real link is in the entry's
``feedburner:origLink``), and mail and social trackers carry the target in a query
parameter. Dedupe, account matching by domain and the publisher shown in briefs all need
the real link, so feeds unwrap it before anything else reads it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

# Query parameters that carry the target of a redirect.
_TARGET_PARAMS = ("url", "u", "q", "target", "dest", "destination", "redirect", "redirect_url",
                  "redirect_uri", "to", "link", "out", "goto", "r")  # fmt: skip
# Hosts that only redirect: any target parameter of theirs is unwrapped.
_REDIRECT_HOSTS = (
    "google.", "l.facebook.com", "lm.facebook.com", "l.instagram.com", "out.reddit.com",
    "away.vk.com", "href.li", "t.umblr.com", "safelinks.",
)  # fmt: skip
# Paths of redirect endpoints on any host ("/url", "/redirect", "/click", …).
_REDIRECT_PATH = re.compile(
    r"/(?:url|redirect|redir|click|clicks|out|outbound|link|links|track|tracking|ck|r|l\.php"
    r"|away|go|goto|exit|external)/?$",
    re.IGNORECASE,
)
_MAX_HOPS = 3


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https") and bool(_host(url))


def _target(url: str) -> str | None:
    """The absolute http(s) URL a redirect link carries, or None if it is no redirect."""
    parts = urlsplit(url)
    host = _host(url)
    known = any(host.startswith(h) or f".{h}" in f".{host}" for h in _REDIRECT_HOSTS)
    if not known and not _REDIRECT_PATH.search(parts.path):
        return None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name in _TARGET_PARAMS:
        value = params.get(name, "").strip()
        if value and _is_http(value) and _host(value) != host:
            return value
    return None


def unwrap(url: str) -> str:
    """The publisher's URL behind a chain of redirect links (at most a few hops)."""
    for _ in range(_MAX_HOPS):
        target = _target(url)
        if target is None:
            break
        url = target
    return url


def _feedburner_proxy(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return "/~r/" in parts.path and (host.startswith("feedproxy.") or "feedburner" in host)


def entry_link(link: str | None, orig_link: str | None, guid: str | None) -> str | None:
    """A feed entry's link to the publisher: FeedBurner's ``origLink`` when given; for a
    FeedBurner ``~r/`` proxy link without one, the entry's GUID if that is a web address
    elsewhere (FeedBurner keeps the original permalink there); else the link itself."""
    if orig_link:
        return orig_link
    if link and guid and _feedburner_proxy(link) and _is_http(guid) and _host(guid) != _host(link):
        return guid
    return link


def publisher(url: str | None) -> str:
    """The publisher of a link by its domain (``www.`` dropped), or ``""`` for no link."""
    if not url or not _is_http(url):
        return ""
    return _host(url).removeprefix("www.").rstrip(".")
