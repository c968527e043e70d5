"""Normalising the domain an account is anchored to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalize_domain(value: str) -> str:
    """``https://www.Example.com/about`` → ``example.com``; raises ValueError if not a domain."""
    text = value.strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/")[0].removeprefix("www.").rstrip(".")
    if not _DOMAIN.match(text):
        raise ValueError(f"not a domain name: {value!r}")
    return text
