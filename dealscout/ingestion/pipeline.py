"""From parsed items to stored signals: dedupe → classify → match accounts → store.

Each item ends up ``new`` (an active signal), ``duplicate`` (seen before, or a near copy
linked to the first copy) or ``rejected`` (not content; the reason is stored). Nothing is
embedded here; the caller embeds the new signals after this returns.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from datasketch import MinHash
from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account
from dealscout.core.db import utcnow
from dealscout.ingestion import dedupe
from dealscout.ingestion.classify import Classification, classify
from dealscout.ingestion.facts import department_of
from dealscout.ingestion.injection import looks_like_injection
from dealscout.ingestion.match import AccountMatch, AccountRef, MatchInput, match_accounts
from dealscout.ingestion.models import Signal, SignalAccount
from dealscout.ingestion.schemas import RawItem


@dataclass
class IngestCounts:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_signals: list[Signal] = field(default_factory=list)
    account_ids: set[int] = field(default_factory=set)


@dataclass
class IngestContext:
    """What the pipeline needs to know about where the items came from."""

    workspace_id: int
    source_id: int | None
    source_name: str
    source_account_id: int | None
    baseline: bool
    now: datetime = field(default_factory=utcnow)


class WorkspaceDedupe:
    """Near-duplicate index of one workspace, kept per process and topped up from the store.

    Other processes add signals too, so every use first loads the signatures stored since
    the last refresh. A hit is confirmed against the store, because an index entry can
    outlive a rolled-back transaction.
    """

    def __init__(self) -> None:
        self.index = dedupe.NearDuplicateIndex()
        self.last_id = 0
        self.lock = threading.Lock()

    def refresh(self, session: Session, workspace_id: int) -> None:
        newest = session.scalar(
            select(func.max(Signal.id)).where(Signal.workspace_id == workspace_id)
        )
        if (newest or 0) < self.last_id:  # the store was rebuilt under this process: start over
            self.index, self.last_id = dedupe.NearDuplicateIndex(), 0
        rows = session.execute(
            select(Signal.id, Signal.minhash)
            .where(
                Signal.workspace_id == workspace_id,
                Signal.status == "active",
                Signal.id > self.last_id,
                Signal.minhash.is_not(None),
            )
            .order_by(Signal.id)
        )
        for signal_id, signature in rows:
            if signature and str(signal_id) not in self.index:  # not one this process added
                self.index.add(str(signal_id), dedupe.from_bytes(signature))
            self.last_id = signal_id

    def original_of(self, session: Session, signature: MinHash) -> int | None:
        key = self.index.query(signature)
        if key is None:
            return None
        if session.get(Signal, int(key)) is None:
            self.index.remove(key)
            return None
        return int(key)


_INDEXES: dict[tuple[str, int], WorkspaceDedupe] = {}
_INDEXES_LOCK = threading.Lock()


def workspace_dedupe(session: Session, workspace_id: int) -> WorkspaceDedupe:
    key = (str(session.get_bind().engine.url), workspace_id)
    with _INDEXES_LOCK:
        if key not in _INDEXES:  # building the LSH index tunes its bands (~20 ms): only once
            _INDEXES[key] = WorkspaceDedupe()
        return _INDEXES[key]


def account_refs(session: Session, workspace_id: int) -> list[AccountRef]:
    rows = session.scalars(select(Account).where(Account.workspace_id == workspace_id))
    return [
        AccountRef(id=a.id, name=a.name, domain=a.domain, aliases=list(a.aliases or []))
        for a in rows
    ]


def _exact_duplicate(
    session: Session, ctx: IngestContext, item: RawItem, digest: str
) -> int | None:
    """Same content, same canonical URL, or the same GUID from the same source.

    Each alternative repeats the workspace so it can use its own (workspace_id, key) index;
    ``workspace AND (a OR b OR c)`` makes SQLite scan the whole workspace for every item.
    """
    workspace = Signal.workspace_id == ctx.workspace_id
    keys: list[ColumnElement[bool]] = [and_(workspace, Signal.content_hash == digest)]
    if item.canonical_url:
        keys.append(and_(workspace, Signal.canonical_url == item.canonical_url))
    if item.guid and ctx.source_id is not None:
        keys.append(and_(workspace, Signal.guid == item.guid, Signal.source_id == ctx.source_id))
    query = select(Signal.id).where(or_(*keys))
    return session.scalars(query.limit(1)).first()


def _classification(item: RawItem) -> Classification:
    if item.kind == "job" and item.job is not None:
        facts = {
            "role": item.job.title,
            "department": item.job.department or department_of(item.job.title),
            "location": item.job.location,
            "seniority": item.job.seniority,
            "employment_type": item.job.employment_type,
        }
        return Classification(type="hiring", confidence=0.95, secondary=[], facts=facts)
    return classify(item.title, item.text or item.summary, item.url)


def _new_signal(ctx: IngestContext, item: RawItem, digest: str, status: str) -> Signal:
    return Signal(
        workspace_id=ctx.workspace_id,
        source_id=ctx.source_id,
        status=status,
        kind=item.kind,
        guid=item.guid,
        url=item.url,
        canonical_url=item.canonical_url or (dedupe.canonical_url(item.url) if item.url else None),
        title=item.title[:1000],
        summary=item.summary[:4000],
        text=item.text[:20000],
        source_name=ctx.source_name,
        content_hash=digest,
        published_at=item.published_at,
        date_missing=item.date_missing,
        first_seen_at=ctx.now,
        announced=not ctx.baseline,
        reject_reason=item.reject_reason,
        warnings=list(item.warnings),
    )


def _link_accounts(session: Session, signal: Signal, matches: Sequence[AccountMatch]) -> set[int]:
    linked = set()
    for match in matches:
        session.add(
            SignalAccount(
                workspace_id=signal.workspace_id,
                signal_id=signal.id,
                account_id=match.account_id,
                status=match.status,
                confidence=match.confidence,
                reason=match.reason[:200],
            )
        )
        if match.status == "matched":
            linked.add(match.account_id)
    return linked


def _lock_workspace(session: Session, workspace_id: int) -> None:
    """Serialize ingestion of one workspace across processes until the transaction ends,
    so two workers never both store the same story (PostgreSQL; SQLite has one writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": workspace_id})


def ingest_items(
    session: Session, ctx: IngestContext, items: Sequence[RawItem], accounts: Sequence[AccountRef]
) -> IngestCounts:
    near = workspace_dedupe(session, ctx.workspace_id)
    _lock_workspace(session, ctx.workspace_id)
    with near.lock:
        near.refresh(session, ctx.workspace_id)
        return _ingest_locked(session, ctx, items, accounts, near)


def _ingest_locked(
    session: Session,
    ctx: IngestContext,
    items: Sequence[RawItem],
    accounts: Sequence[AccountRef],
    near: WorkspaceDedupe,
) -> IngestCounts:
    counts = IngestCounts(fetched=len(items))
    for item in items:
        content = "\n".join(p for p in (item.title, item.text or item.summary) if p)
        digest = dedupe.content_hash(content)
        existing = _exact_duplicate(session, ctx, item, digest)
        if existing is not None:
            counts.duplicates += 1
            continue
        if item.reject_reason:
            session.add(_new_signal(ctx, item, digest, "rejected"))
            counts.rejected += 1
            continue
        signature = dedupe.minhash(content)
        original = near.original_of(session, signature)
        signal = _new_signal(ctx, item, digest, "duplicate" if original else "active")
        signal.minhash = dedupe.signature_bytes(signature)
        if original:
            signal.duplicate_of_id = original
            session.add(signal)
            counts.duplicates += 1
            continue
        result = _classification(item)
        signal.type, signal.confidence = result.type, result.confidence
        signal.secondary = [s.model_dump() for s in result.secondary]
        signal.facts = result.facts
        signal.suspicious = looks_like_injection(content)
        session.add(signal)
        session.flush()
        near.index.add(str(signal.id), signature)
        doc = MatchInput(
            title=item.title, text=content, url=item.url, source_account_id=ctx.source_account_id
        )
        counts.account_ids |= _link_accounts(session, signal, match_accounts(doc, accounts))
        counts.new += 1
        counts.new_signals.append(signal)
    session.flush()
    return counts
