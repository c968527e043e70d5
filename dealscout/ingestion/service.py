"""Sources and fetching: the ingestion use cases that the API, workers and CLI share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.core.config import Settings
from dealscout.core.db import utcnow
from dealscout.core.errors import NotFound, Refused, Transient
from dealscout.core.redact import redact
from dealscout.ingestion.fetch import RetryLater, SafeFetcher, backoff_delay, load_local
from dealscout.ingestion.models import Source
from dealscout.ingestion.parse import parse_document
from dealscout.ingestion.pipeline import IngestContext, IngestCounts, account_refs, ingest_items


@dataclass
class IngestReport:
    """The CONTRACT §5 ``ingest`` shape, plus what the caller needs to follow up."""

    account: str | None
    source: str
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_modified: bool = False
    source_id: int | None = None
    new_signal_ids: list[int] = field(default_factory=list)
    account_ids: list[int] = field(default_factory=list)
    failure: Refused | Transient | None = None

    def public(self) -> dict[str, object]:
        keys = (
            "account",
            "source",
            "fetched",
            "new",
            "duplicates",
            "rejected",
            "errors",
            "warnings",
        )
        shown = {k: getattr(self, k) for k in keys} | {"not_modified": self.not_modified}
        shown["source"] = redact(self.source)
        shown["errors"] = [redact(e) for e in self.errors]
        shown["warnings"] = [redact(w) for w in self.warnings]
        return shown


def get_source(session: Session, workspace_id: int, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None or source.workspace_id != workspace_id:
        raise NotFound(f"source {source_id} not found")
    return source


def source_for(session: Session, workspace_id: int, url: str, account_id: int | None) -> Source:
    """The source row of ``url`` for this account, created on first use."""
    source = session.scalar(
        select(Source).where(
            Source.workspace_id == workspace_id, Source.url == url, Source.account_id == account_id
        )
    )
    if source is None:
        source = Source(
            workspace_id=workspace_id, account_id=account_id, url=url, name=redact(url)[:200]
        )
        session.add(source)
        session.flush()
    return source


def _account_name(session: Session, source: Source) -> str | None:
    account = session.get(Account, source.account_id) if source.account_id else None
    return account.name if account else None


def ingest_bytes(
    session: Session, source: Source, data: bytes, content_type: str | None, url: str | None
) -> IngestReport:
    """Parse a fetched or local document and store its items as signals of the source."""
    now = utcnow()
    parsed = parse_document(data, content_type=content_type, url=url, fetched_at=now)
    ctx = IngestContext(
        workspace_id=source.workspace_id,
        source_id=source.id,
        source_name=redact(source.name or parsed.title or source.url),
        source_account_id=source.account_id,
        baseline=not source.baseline_done,
        now=now,
    )
    counts = ingest_items(session, ctx, parsed.items, account_refs(session, source.workspace_id))
    counts.warnings.extend(parsed.warnings)
    source.baseline_done = True
    return _report(session, source, counts)


def _report(session: Session, source: Source, counts: IngestCounts) -> IngestReport:
    return IngestReport(
        account=_account_name(session, source),
        source=source.url,
        fetched=counts.fetched,
        new=counts.new,
        duplicates=counts.duplicates,
        rejected=counts.rejected,
        errors=counts.errors,
        warnings=counts.warnings,
        source_id=source.id,
        new_signal_ids=counts.new_signal_ids,
        account_ids=sorted(counts.account_ids),
    )


def ingest_local_file(
    session: Session, source: Source, path: str, settings: Settings
) -> IngestReport:
    data, content_type = load_local(path, max_bytes=settings.fetch_max_bytes)
    return ingest_bytes(session, source, data, content_type, url=None)


def _record_success(source: Source, report: IngestReport, status: int) -> None:
    now = utcnow()
    source.last_fetch_at = now
    source.last_status = "not_modified" if report.not_modified else "ok"
    source.last_http_code = status
    source.last_fetched, source.last_new = report.fetched, report.new
    source.last_duplicates, source.last_rejected = report.duplicates, report.rejected
    source.last_error = None
    source.failures = 0
    source.next_fetch_at = now + timedelta(minutes=source.interval_minutes)


def record_failure(source: Source, exc: Exception) -> None:
    """Back off exponentially (honouring Retry-After); a refused source waits a day."""
    now = utcnow()
    source.last_fetch_at = now
    source.failures += 1
    source.last_error = redact(str(exc))[:2000]
    retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
    source.last_http_code = exc.status if isinstance(exc, RetryLater) else None
    if isinstance(exc, Refused):
        source.last_status = "refused"
        delay = 24 * 3600.0
    else:
        source.last_status = "error"
        delay = backoff_delay(source.failures, retry_after)
    source.next_fetch_at = now + timedelta(seconds=delay)


def fetch_source(session: Session, source: Source, fetcher: SafeFetcher) -> IngestReport:
    """Conditional GET of the source, then ingest. A failure (unsafe URL, hostile content,
    network trouble) is recorded on the source and returned in ``report.failure`` with no
    signal stored, so the caller can commit the record and then decide."""
    account = _account_name(session, source)
    try:
        result = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
        if result.not_modified:
            report = IngestReport(account=account, source=source.url, not_modified=True)
        else:
            with session.begin_nested():
                report = ingest_bytes(
                    session, source, result.body, result.content_type, result.final_url
                )
            source.etag, source.last_modified = result.etag, result.last_modified
    except (Refused, Transient) as exc:
        record_failure(source, exc)
        return IngestReport(
            account=account, source=source.url, errors=[redact(str(exc))], failure=exc
        )
    _record_success(source, report, result.status)
    return report


def due_sources(session: Session, limit: int = 100) -> list[int]:
    now = utcnow()
    query = (
        select(Source.id)
        .where(Source.enabled.is_(True))
        .where((Source.next_fetch_at.is_(None)) | (Source.next_fetch_at <= now))
        .order_by(Source.next_fetch_at.is_not(None), Source.next_fetch_at)
        .limit(limit)
    )
    return list(session.scalars(query))
