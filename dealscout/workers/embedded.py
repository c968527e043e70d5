"""The embedded worker: Celery's worker running in threads inside ``dealscout serve``.

On a laptop the API and the worker share one process, because one process must own the
embedded Chroma folder. The broker is kombu's filesystem transport, so tasks survive a
restart of the process.
"""

from __future__ import annotations

import threading

from celery.worker import WorkController

from dealscout.core.config import Settings
from dealscout.workers.celery_app import configure_celery


class EmbeddedWorker:
    def __init__(self, settings: Settings) -> None:
        app = configure_celery(settings)
        self._controller = WorkController(
            app=app,
            pool_cls="threads",
            concurrency=settings.embedded_worker_threads,
            queues=["dealscout"],
            beat=True,
            schedule_filename=str(settings.home_dir / "beat-schedule"),
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            loglevel="WARNING",
        )
        self._thread = threading.Thread(
            target=self._controller.start, name="embedded-worker", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._controller.stop(in_sighandler=False)
        self._thread.join(timeout=10)
