"""Secrets out of everything shown or logged: URL credentials and secret-looking parameters.

A source URL may carry ``user:password@`` or ``?api_key=…``; the URL is needed to fetch,
but its display name, log lines and task results show it redacted.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "***"
# names of query parameters that hold secrets (not secrets themselves)
_HIDDEN_PARAMS = (
    r"[\w.-]*(?:api[_-]?key|apikey|token|secret|passw(?:or)?d|pwd|sig|signature|auth"
    r"|credentials?|session|access[_-]?key|private[_-]?key)[\w.-]*|key|code"
)
# ``scheme://user:password@`` (or ``user@``) in any text
_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^\s/@?#]+)@", re.I)
# ``name=value`` after ``?``, ``&`` or ``;`` where the name looks like a secret
_PARAM = re.compile(rf"(?P<lead>[?&;](?:{_HIDDEN_PARAMS})=)(?P<value>[^&#\s'\"]*)", re.I)


def redact(text: str) -> str:
    """``text`` with URL credentials and secret-looking query values replaced by ``***``."""
    if "://" not in text and "=" not in text:
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    return _PARAM.sub(lambda m: f"{m['lead']}{MASK}" if m["value"] else m[0], text)


_installed = False


def install_log_redaction() -> None:
    """Redact every log record where it is made, so no handler (ours, uvicorn's, Celery's)
    ever sees the secret; exception text included. Idempotent."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(redacting_record)
    _installed = True
