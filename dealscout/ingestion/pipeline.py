"""From parsed items to stored signals: dedupe → classify → match accounts → store.

Each item ends up ``new`` (an active signal), ``duplicate`` (seen before, or a near copy
linked to the first copy) or ``rejected`` (not content; the reason is stored). Nothing is
embedded here; the caller embeds the new signals after this returns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from datasketch import MinHash
from sqlalchemy import ColumnElement, func, insert, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from dealscout.accounts import versions
from dealscout.accounts.models import Account
from dealscout.core.db import utcnow
from dealscout.core.deadline import check_deadline
from dealscout.core.redact import redact
from dealscout.ingestion import aboutness, dedupe
from dealscout.ingestion.aboutness import market_research_spam
from dealscout.ingestion.classify import Classification, classify
from dealscout.ingestion.facts import department_of
from dealscout.ingestion.injection import looks_like_injection
from dealscout.ingestion.match import (
    AccountMatch,
    AccountRef,
    MatchInput,
    index_accounts,
    match_accounts,
)
from dealscout.ingestion.models import Signal, SignalAccount
from dealscout.ingestion.people import named_people
from dealscout.ingestion.redirects import publisher
from dealscout.ingestion.schemas import RawItem

SignalRow = dict[str, Any]  # column → value of a ``signals`` row to insert


@dataclass
class IngestCounts:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_signal_ids: list[int] = field(default_factory=list)
    account_ids: set[int] = field(default_factory=set)


@dataclass
class IngestContext:
    """What the pipeline needs to know about where the items came from."""

    workspace_id: int
    source_id: int | None
    source_name: str  # the publisher when an item names none: never a path or a source id
    source_account_id: int | None
    baseline: bool
    now: datetime = field(default_factory=utcnow)


_IN_CHUNK = 500  # bound values per IN list (SQLite before 3.32 allows 999 in all)


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
        # ``workspace_id + 0`` is no indexed column, so SQLite reads the id range past
        # ``last_id`` rather than every entry of the workspace in a (workspace_id, …) index
        workspace = Signal.workspace_id + 0 == workspace_id
        newest = session.scalar(
            select(func.max(Signal.id)).where(workspace, Signal.id >= self.last_id)
        )
        if (newest or 0) < self.last_id:  # the store was rebuilt under this process: start over
            self.index, self.last_id = dedupe.NearDuplicateIndex(), 0
        rows = session.execute(
            select(Signal.id, Signal.minhash)
            .where(
                workspace,
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

    def originals_of(
        self, session: Session, signatures: Sequence[MinHash]
    ) -> list[tuple[int, float] | None]:
        """The most similar stored signal of each signature: its id and estimated Jaccard.

        The hits are confirmed in the store with one query, as an index entry can outlive a
        rolled-back transaction, and its id then be reused by another signal: an entry
        whose row is gone or holds another signature is dropped and the lookup repeated.
        """
        hits = [self.index.nearest(signature) for signature in signatures]
        while True:
            keys = sorted({int(hit[0]) for hit in hits if hit})
            stored: dict[str, bytes | None] = {}
            for start in range(0, len(keys), _IN_CHUNK):
                chunk = keys[start : start + _IN_CHUNK]
                query = select(Signal.id, Signal.minhash).where(Signal.id.in_(chunk))
                stored.update((str(key), signature) for key, signature in session.execute(query))
            gone = {str(key) for key in keys if not self._confirmed(str(key), stored)}
            if not gone:
                return [(int(hit[0]), hit[1]) if hit else None for hit in hits]
            for key in gone:
                self.index.remove(key)
            hits = [
                self.index.nearest(signature) if hit and hit[0] in gone else hit
                for signature, hit in zip(signatures, hits, strict=True)
            ]

    def _confirmed(self, key: str, stored: dict[str, bytes | None]) -> bool:
        held = self.index.signature(key)
        return held is not None and stored.get(key) == dedupe.signature_bytes(held)


_INDEXES: dict[tuple[str, int], WorkspaceDedupe] = {}
_INDEXES_LOCK = threading.Lock()


def workspace_dedupe(session: Session, workspace_id: int) -> WorkspaceDedupe:
    key = (str(session.get_bind().engine.url), workspace_id)
    with _INDEXES_LOCK:
        if key not in _INDEXES:  # kept: reloading every stored signature per batch costs more
            _INDEXES[key] = WorkspaceDedupe()
        return _INDEXES[key]


def account_refs(session: Session, workspace_id: int) -> list[AccountRef]:
    rows = session.execute(
        select(Account.id, Account.name, Account.domain, Account.aliases, Account.industry).where(
            Account.workspace_id == workspace_id
        )
    )
    return [
        AccountRef(id=id_, name=name, domain=domain, aliases=list(aliases or []), industry=industry)
        for id_, name, domain, aliases, industry in rows
    ]


@dataclass
class ExactKeys:
    """Exact-duplicate keys of a workspace: content hashes, canonical URLs and, when the
    source is known, its GUIDs (``None``: GUIDs are not compared)."""

    hashes: set[str]
    urls: set[str]
    guids: set[str] | None

    def seen(self, item: RawItem, digest: str) -> bool:
        """Same content, same canonical URL, or the same GUID from the same source."""
        return (
            digest in self.hashes
            or (bool(item.canonical_url) and item.canonical_url in self.urls)
            or (self.guids is not None and bool(item.guid) and item.guid in self.guids)
        )

    def add(self, row: SignalRow) -> None:
        """A signal stored by this batch: later items compare against it as if stored."""
        if row["content_hash"]:
            self.hashes.add(row["content_hash"])
        if row["canonical_url"]:
            self.urls.add(row["canonical_url"])
        if self.guids is not None and row["guid"]:
            self.guids.add(row["guid"])


def _stored_keys(
    session: Session, ctx: IngestContext, items: Sequence[RawItem], digests: Sequence[str]
) -> ExactKeys:
    """Which of the batch's keys are stored already: one query per key kind and chunk.

    Each query filters on the workspace and one key column so it uses that column's
    (workspace_id, key) index.
    """

    def stored(
        column: InstrumentedAttribute[str | None],
        values: Iterable[str | None],
        *where: ColumnElement[bool],
    ) -> set[str]:
        wanted = sorted({v for v in values if v})
        found: set[str] = set()
        for start in range(0, len(wanted), _IN_CHUNK):
            query = select(column).where(
                Signal.workspace_id == ctx.workspace_id,
                *where,
                column.in_(wanted[start : start + _IN_CHUNK]),
            )
            found.update(v for v in session.scalars(query) if v)
        return found

    guids = None
    if ctx.source_id is not None:  # ``+ 0``: by (workspace_id, guid), not the source's index
        source = Signal.source_id + 0 == ctx.source_id
        guids = stored(Signal.guid, (i.guid for i in items), source)
    return ExactKeys(
        hashes=stored(Signal.content_hash, digests),
        urls=stored(Signal.canonical_url, (i.canonical_url for i in items)),
        guids=guids,
    )


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


def _classified(item: RawItem, content: str) -> SignalRow:
    result = _classification(item)
    people = named_people(item.title, item.summary or item.text)
    return {
        "type": result.type,
        "confidence": result.confidence,
        "secondary": [s.model_dump() for s in result.secondary],
        "facts": {**result.facts, "people": people} if people else result.facts,
        "model_version": result.model or None,
        "suspicious": looks_like_injection(content),
        "junk_reason": market_research_spam(item.title, item.text or item.summary),
    }


def _publisher_of(item: RawItem, ctx: IngestContext) -> str:
    """The site that published the item (a job post's employer), else the source's."""
    employer = item.job.company if item.job else None
    return item.site_name or publisher(item.url) or employer or ctx.source_name


def _new_row(ctx: IngestContext, item: RawItem, digest: str, status: str) -> SignalRow:
    """The ``signals`` row of an item; a new active signal gets its classification later."""
    return {
        "workspace_id": ctx.workspace_id,
        "source_id": ctx.source_id,
        "status": status,
        "kind": item.kind,
        "guid": item.guid,
        "url": item.url,
        "canonical_url": item.canonical_url
        or (dedupe.canonical_url(item.url) if item.url else None),
        "title": item.title[:1000],
        "summary": item.summary[:4000],
        "text": item.text[:20000],
        "source_name": redact(_publisher_of(item, ctx))[:200],
        "content_hash": digest,
        "minhash": None,
        "published_at": item.published_at,
        "date_missing": item.date_missing,
        "first_seen_at": ctx.now,
        "announced": not ctx.baseline,
        "type": "other",
        "confidence": 0.0,
        "secondary": [],
        "facts": {},
        "model_version": None,
        "suspicious": False,
        "duplicate_of_id": None,
        "reject_reason": item.reject_reason,
        "junk_reason": None,
        "warnings": list(item.warnings),
    }


def _links(
    workspace_id: int, signal_id: int, matches: Sequence[AccountMatch]
) -> list[dict[str, Any]]:
    return [
        {
            "workspace_id": workspace_id,
            "signal_id": signal_id,
            "account_id": match.account_id,
            "status": match.status,
            "confidence": match.confidence,
            "reason": match.reason[:200],
            "aboutness": match.aboutness,
        }
        for match in matches
    ]


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
    """Decide every item against the store and the items before it, then insert the batch
    in bulk: ids are needed only afterwards, for account links and the index."""
    counts = IngestCounts(fetched=len(items))
    contents = ["\n".join(p for p in (i.title, i.text or i.summary) if p) for i in items]
    digests = [dedupe.content_hash(content) for content in contents]
    known = _stored_keys(session, ctx, items, digests)
    rows: list[SignalRow] = []  # every item stored, in order
    kept: list[tuple[RawItem, str, SignalRow]] = []  # those not rejected
    for item, content, digest in zip(items, contents, digests, strict=True):
        check_deadline("ingesting the document")
        if known.seen(item, digest):
            counts.duplicates += 1
            continue
        row = _new_row(ctx, item, digest, "rejected" if item.reject_reason else "active")
        known.add(row)
        rows.append(row)
        if item.reject_reason:
            counts.rejected += 1
        else:
            kept.append((item, content, row))

    signatures = [dedupe.minhash(content) for _, content, _ in kept]
    in_store = near.originals_of(session, signatures)
    batch = dedupe.NearDuplicateIndex()  # the new active signals of this batch, by number
    fresh: list[tuple[SignalRow, MinHash, list[AccountMatch]]] = []
    copies: list[tuple[SignalRow, SignalRow]] = []  # (near copy, its original in this batch)
    index = index_accounts(accounts)
    by_id = {account.id: account for account in accounts}
    for (item, content, row), signature, original in zip(kept, signatures, in_store, strict=True):
        row["minhash"] = dedupe.signature_bytes(signature)
        earlier = batch.nearest(signature)  # the more similar of the two wins, as in one index
        if earlier is not None and (original is None or earlier[1] >= original[1]):
            copies.append((row, fresh[int(earlier[0])][0]))  # its id is known after the insert
        elif original is not None:
            row["duplicate_of_id"] = original[0]
        else:
            row.update(_classified(item, content))
            doc = MatchInput(
                title=item.title,
                text=content,
                url=item.url,
                source_account_id=ctx.source_account_id,
            )
            batch.add(str(len(fresh)), signature)
            matches = aboutness.apply(doc, match_accounts(doc, index), by_id, row["junk_reason"])
            fresh.append((row, signature, matches))
            continue
        row["status"] = "duplicate"
        counts.duplicates += 1

    if rows:
        returning = insert(Signal).returning(Signal.id, sort_by_parameter_order=True)
        for row, signal_id in zip(rows, session.scalars(returning, rows), strict=True):
            row["id"] = signal_id
    if copies:
        pairs = [{"id": copy["id"], "duplicate_of_id": first["id"]} for copy, first in copies]
        session.execute(update(Signal), pairs)
    links: list[dict[str, Any]] = []
    for row, signature, matches in fresh:
        near.index.add(str(row["id"]), signature)
        links += _links(ctx.workspace_id, row["id"], matches)
        counts.account_ids.update(m.account_id for m in matches if m.status == "matched")
        counts.new_signal_ids.append(row["id"])
    counts.new = len(fresh)
    if links:
        session.execute(insert(SignalAccount), links)
    versions.bump(session, counts.account_ids)  # their briefs read the new signals
    return counts
