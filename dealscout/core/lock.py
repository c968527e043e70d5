"""One process owns the embedded Chroma folder at a time (an flock on a file in the home).

ChromaDB's embedded client is not safe with several writing processes, so ``dealscout serve``
holds this lock for its lifetime and CLI commands that write vectors take it briefly.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from dealscout.core.config import Settings
from dealscout.core.errors import BadInput


class StoreBusy(BadInput):
    """Another process (usually ``dealscout serve``) holds the embedded store."""


class StoreLock:
    def __init__(self, settings: Settings) -> None:
        self.path: Path = settings.home_dir / "store.lock"
        self.needed = settings.chroma_host is None
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        if not self.needed or self._file is not None:
            return
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = handle.read().strip() or "another process"
            handle.close()
            raise StoreBusy(
                f"the embedded store in {self.path.parent} is held by {owner}; "
                "stop it, use its API, or point CHROMA_HOST at a Chroma server"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
