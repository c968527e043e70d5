"""The embedded worker: Celery's worker and beat running in threads inside ``dealscout serve``.

On a laptop the API and the worker share one process, because one process must own the
embedded Chroma folder. The broker is kombu's filesystem transport, so queued tasks survive
a restart of the process. The beat runs as a thread, not Celery's default forked process,
so nothing outlives the server.
"""

from __future__ import annotations

import threading

from celery.beat import EmbeddedService
from celery.worker import WorkController

from dealscout.core.config import Settings
from dealscout.workers.celery_app import configure_celery

STOP_WAIT_S = 60.0


class EmbeddedWorker:
    def __init__(self, settings: Settings) -> None:
        app = configure_celery(settings)
        self._controller = WorkController(
            app=app,
            pool_cls="threads",
            concurrency=settings.embedded_worker_threads,
            queues=["dealscout"],
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            loglevel="WARNING",
        )
        self._beat = EmbeddedService(
            app, thread=True, schedule_filename=str(settings.home_dir / "beat-schedule")
        )
        self._thread = threading.Thread(
            target=self._controller.start, name="embedded-worker", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        self._beat.start()

    def stop(self) -> None:
        """Stop scheduling, then a warm shutdown: tasks in hand finish (each is bounded by
        the task time limit); tasks received but not started go back to the queue."""
        self._beat.stop()
        self._controller.stop(in_sighandler=False)
        self._thread.join(timeout=STOP_WAIT_S)
