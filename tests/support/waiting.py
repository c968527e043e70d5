"""Waiting for something a test started: poll until it happens, with a generous ceiling.

The ceiling is not a speed target (bench/ holds those); it only stops a hung test. It is
long enough for a loaded 2-core machine, and a wait ends early when the process it waits
on has died.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CEILING_S = 300.0


def wait_until(
    check: Callable[[], T],
    *,
    ceiling_s: float = CEILING_S,
    interval_s: float = 0.3,
    process: subprocess.Popen[bytes] | None = None,
) -> T | None:
    """The first truthy value of ``check()``, or None at the ceiling or when ``process``
    has exited (a server that crashed will not get ready later)."""
    deadline = time.monotonic() + ceiling_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process is not None and process.poll() is not None:
            return check() or None
        time.sleep(interval_s)
    return None
