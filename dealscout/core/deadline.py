"""Time limits that hold in any thread: Celery's own limits need a process pool's signals,
and the embedded worker runs tasks in threads. Long loops call ``check_deadline`` between
bounded steps (one document item, say), so a task stops soon after its limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from dealscout.core.errors import Refused

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("deadline", default=None)


class TimeLimitExceeded(Refused):
    """The work took longer than its time limit; what it had done is rolled back."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Work inside this block stops at its next ``check_deadline`` after ``seconds``."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline(what: str) -> None:
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise TimeLimitExceeded(f"{what} took longer than the {limit[1]:g} s time limit")
