"""Feed fixtures moved in time, so windows such as the brief's last 90 days see them."""

from __future__ import annotations

import re
from datetime import datetime

_STAMP = re.compile(r"<(published|updated)>([^<]+)</\1>")


def recent_copy(feed: str, newest: datetime) -> str:
    """The Atom feed with every date moved by one offset, so its newest entry is ``newest``."""
    stamps = [datetime.fromisoformat(s.replace("Z", "+00:00")) for _, s in _STAMP.findall(feed)]
    shift = newest - max(stamps)

    def moved(match: re.Match[str]) -> str:
        when = datetime.fromisoformat(match.group(2).replace("Z", "+00:00")) + shift
        return f"<{match.group(1)}>{when:%Y-%m-%dT%H:%M:%SZ}</{match.group(1)}>"

    return _STAMP.sub(moved, feed)
