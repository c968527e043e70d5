"""Prometheus metrics and JSON logs shared by the API, the workers and the domains.

The metrics live in this process's default registry; ``/metrics`` on the API's port serves
them. Domains record through the small helpers here, so none of them imports the client.
"""

from __future__ import annotations

import contextvars
import json
import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from typing import ParamSpec, TypeVar

from prometheus_client import Counter, Histogram

P = ParamSpec("P")
R = TypeVar("R")

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

HTTP_REQUESTS = Counter(
    "dealscout_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "dealscout_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
FETCHES = Counter(
    "dealscout_source_fetches_total",
    "Source fetches by outcome (ok, not_modified, error, refused)",
    ["source_id", "outcome"],
)
INGESTED = Counter(
    "dealscout_ingested_items_total", "Fetched items by outcome", ["outcome"]
)  # new, duplicate, rejected
LLM_CALLS = Counter("dealscout_llm_calls_total", "LLM calls by outcome", ["model", "outcome"])
LLM_TOKENS = Counter("dealscout_llm_tokens_total", "LLM tokens used", ["model", "kind"])
TIMINGS = Histogram(
    "dealscout_operation_seconds",
    "Time spent in a domain operation (queue build, coaching, ingest, ...)",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0),
)


def timed(operation: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: record the call's duration under ``operation``."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with timing(operation):
                return function(*args, **kwargs)

        return run

    return wrap


@contextmanager
def timing(operation: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS.labels(operation).observe(time.perf_counter() - start)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; an exception goes in fields (``error``, ``traceback``),
    never across lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            entry["error"] = f"{type(exc).__name__}: {exc}"
            entry["traceback"] = "".join(traceback.format_exception(exc))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the long-running processes (serve, worker, beat)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("dealscout").setLevel(level)
