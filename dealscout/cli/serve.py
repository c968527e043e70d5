"""Long-running processes: the API server, the worker and the beat scheduler."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer
import uvicorn

from dealscout.cli.app import app
from dealscout.cli.output import fail
from dealscout.core.config import Settings, get_settings
from dealscout.core.lock import StoreLock
from dealscout.core.telemetry import configure_json_logging
from dealscout.flows import ingest as ingest_flow
from dealscout.workers.celery_app import configure_celery

log = logging.getLogger(__name__)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    embedded_worker: bool = typer.Option(
        True,
        "--embedded-worker/--no-embedded-worker",
        help="Run the worker inside this process (default when no broker is configured).",
    ),
) -> None:
    """Serve the HTTP API (and, on the embedded default, the worker) until interrupted."""
    from dealscout.api.main import create_app
    from dealscout.workers.embedded import EmbeddedWorker

    settings = get_settings()
    configure_json_logging()
    lock = StoreLock(settings)
    lock.acquire()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    worker = None
    try:
        if embedded_worker and not settings.celery_broker_url:
            worker = EmbeddedWorker(settings)
            worker.start()
        threading.Thread(target=_reconcile, args=(settings,), name="reconcile", daemon=True).start()
        typer.echo(
            f"dealscout API on http://{host}:{port}  (docs: http://{host}:{port}/docs)", err=True
        )
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="warning", log_config=None
        )
    finally:
        if worker is not None:
            worker.stop()
        lock.release()


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    """uvicorn stops serving on SIGTERM, then raises the signal again: with the default
    action that killed the process before the worker, its beat and the lock were let go
    (the beat lived on under PID 1). Exiting through ``finally`` stops them."""
    raise SystemExit(0)


def _reconcile(settings: Settings) -> None:
    """At startup: re-embed what a crash left without vectors, drop orphaned vectors."""
    try:
        done = ingest_flow.reconcile(settings)
    except Exception:
        log.exception("vector reconciliation at startup failed")
        return
    if done.embedded or done.removed:
        log.warning("reconciled vectors: %d embedded, %d removed", done.embedded, done.removed)


@app.command()
def worker(
    concurrency: int = typer.Option(2, "--concurrency", min=1),
    loglevel: str = typer.Option("INFO", "--loglevel"),
) -> None:
    """Run a Celery worker process (scale-out: set CELERY_BROKER_URL)."""
    settings = get_settings()
    if not settings.celery_broker_url:
        fail(
            "set CELERY_BROKER_URL to run separate workers; `dealscout serve` runs the embedded one"
        )
    configure_json_logging()
    celery = configure_celery(settings)
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            "-Q",
            "dealscout",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def beat(loglevel: str = typer.Option("INFO", "--loglevel")) -> None:
    """Run the Celery beat scheduler that polls due sources."""
    settings = get_settings()
    if not settings.celery_broker_url:
        fail(
            "set CELERY_BROKER_URL to run a separate beat; `dealscout serve` runs the embedded one"
        )
    celery = configure_celery(settings)
    schedule = str(settings.home_dir / "beat-schedule")
    celery.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule}"])
