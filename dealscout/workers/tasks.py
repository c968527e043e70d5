"""Celery tasks: thin, named, idempotent shells over domain functions."""

from __future__ import annotations

import logging

from dealscout.workers.celery_app import celery_app

log = logging.getLogger(__name__)


@celery_app.task(name="system.ping")
def ping(value: str) -> str:
    """A round trip through the broker, used by readiness tests."""
    return f"pong:{value}"
