"""The Celery application, configured from Settings by the entry point that starts it.

Unset ``CELERY_BROKER_URL`` gives kombu's filesystem transport under ``DEALSCOUT_HOME``: no
server needed. Tasks are acknowledged late and rejected when a worker dies, so a killed
worker's task is redelivered instead of lost.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_ready

from dealscout.core.config import HARD_LIMIT_GRACE_S, Settings
from dealscout.core.db import forget_inherited_connections
from dealscout.core.redact import install_log_redaction

celery_app = Celery("dealscout", include=["dealscout.workers.tasks"])


@worker_process_init.connect
def _after_fork(**_kwargs: Any) -> None:
    forget_inherited_connections()


@worker_ready.connect
def _reconcile_on_start(sender: Any, **_kwargs: Any) -> None:
    """A started worker (``dealscout worker``) queues a vector reconciliation: what a killed
    worker committed without writing its vectors is embedded now, not at the next beat.
    (``dealscout serve`` reconciles at startup itself; its embedded worker sends no signal.)"""
    sender.app.send_task("vectors.reconcile")


def configure_celery(settings: Settings) -> Celery:
    install_log_redaction()
    options: dict[str, object] = {"visibility_timeout": settings.broker_visibility_timeout_s}
    if not settings.celery_broker_url:
        folder = settings.home_dir / "broker"
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),  # else kombu writes ./control
            "store_processed": False,
        }
    celery_app.conf.update(
        broker_url=settings.broker_url,
        broker_transport_options=options,
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="dealscout",
        task_time_limit=settings.task_time_limit_s + HARD_LIMIT_GRACE_S,
        task_soft_time_limit=settings.task_time_limit_s,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "poll-due-sources": {
                "task": "ingestion.poll_due_sources",
                "schedule": settings.poll_interval_s,
            },
            "daily-digests": {
                "task": "flows.send_digests",
                "schedule": crontab(minute=0, hour=settings.digest_hour),
                "args": ("daily",),
            },
            "weekly-digests": {
                "task": "flows.send_digests",
                "schedule": crontab(minute=0, hour=settings.digest_hour, day_of_week=1),
                "args": ("weekly",),
            },
            "retry-digests": {"task": "flows.deliver_digests", "schedule": 300.0},
            "reconcile-vectors": {
                "task": "vectors.reconcile",
                "schedule": settings.reconcile_interval_s,
            },
        },
        timezone="UTC",
    )
    return celery_app
