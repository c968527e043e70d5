"""Celery tasks: thin, named, idempotent shells over domain functions.

Tasks take ids, open their own unit of work, and retry only transient failures, with
backoff. Re-running a fetch is harmless (dedupe), so a redelivered task loses nothing and
duplicates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from celery import Task

from dealscout.briefs import service as briefs
from dealscout.core.config import get_settings
from dealscout.core.db import session_scope, utcnow
from dealscout.core.errors import NotFound, Transient
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import service
from dealscout.ingestion.fetch import RetryLater, backoff_delay
from dealscout.ingestion.models import Source
from dealscout.workers.celery_app import celery_app


@celery_app.task(name="ingestion.fetch_source", bind=True, max_retries=5)
def fetch_source(self: Task, source_id: int) -> dict[str, object]:
    settings = get_settings()
    with session_scope(settings.sqlalchemy_url) as session:
        source = session.get(Source, source_id)
        if source is None or not source.enabled:
            return {"skipped": source_id}
        report = ingest_flow.fetch_and_follow_up(session, settings, source)
        failures = source.failures
    for account_id in report.account_ids:  # after commit, by id
        refresh_brief.delay(account_id)
    if isinstance(report.failure, Transient):
        retry_after = report.failure.retry_after if isinstance(report.failure, RetryLater) else None
        raise self.retry(
            exc=report.failure, countdown=backoff_delay(failures, retry_after, base=30)
        )
    return report.public()


@celery_app.task(name="ingestion.poll_due_sources")
def poll_due_sources() -> int:
    """Enqueue every due source once: claim it by moving its next poll time forward."""
    settings = get_settings()
    with session_scope(settings.sqlalchemy_url) as session:
        due = service.due_sources(session)
        for source_id in due:
            source = session.get(Source, source_id)
            if source is not None:
                source.next_fetch_at = utcnow() + timedelta(minutes=source.interval_minutes)
    for source_id in due:  # after commit, by id
        fetch_source.delay(source_id)
    return len(due)


@celery_app.task(name="briefs.refresh_brief", max_retries=3)
def refresh_brief(account_id: int) -> dict[str, object]:
    """Regenerate an account's cached brief ahead of the next read, when its inputs changed."""
    settings = get_settings()
    with session_scope(settings.sqlalchemy_url) as session:
        try:
            result = briefs.refresh_brief(session, settings, account_id)
        except NotFound:
            return {"skipped": account_id}  # the account was deleted meanwhile
    return {"account_id": account_id, "regenerated": result.regenerated, "engine": result.engine}


@celery_app.task(name="system.ping")
def ping(value: str) -> str:
    """A round trip through the broker, used by readiness checks and tests."""
    return f"pong:{value}"
