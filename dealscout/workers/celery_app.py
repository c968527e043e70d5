"""The Celery application, configured from Settings by the entry point that starts it.

Unset ``CELERY_BROKER_URL`` gives kombu's filesystem transport under ``DEALSCOUT_HOME``: no
server needed. Tasks are acknowledged late and rejected when a worker dies, so a killed
worker's task is redelivered instead of lost.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from dealscout.core.config import Settings
from dealscout.core.db import forget_inherited_connections
from dealscout.core.redact import install_log_redaction

celery_app = Celery("dealscout", include=["dealscout.workers.tasks"])


@worker_process_init.connect
def _after_fork(**_kwargs: Any) -> None:
    forget_inherited_connections()


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
        task_time_limit=settings.task_time_limit_s + 60,
        task_soft_time_limit=settings.task_time_limit_s,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "poll-due-sources": {
                "task": "ingestion.poll_due_sources",
                "schedule": settings.poll_interval_s,
            },
        },
        timezone="UTC",
    )
    return celery_app
