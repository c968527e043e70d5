"""The queue's write path: store each account's undecayed signal terms in ``AccountScore``.

New signals are merged into the rows of the accounts they concern (``add_signals``, after
an ingest); ``refresh_accounts`` recomputes accounts whose older signals changed (a
source's reliability) and ``recompute_workspace`` rebuilds every row, e.g. after the
weights change. Rows
are upserted in bulk with Core statements, so a full recompute of a large workspace is a
few streaming reads and one executemany.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, Workspace
from dealscout.core.db import utcnow
from dealscout.ingestion.models import Signal, SignalAccount, Source
from dealscout.queue.models import AccountScore
from dealscout.queue.scoring import SignalInput, SignalTerm, StoredTerms, signal_term
from dealscout.queue.weights import QueueWeights, resolve_weights

CHUNK = 500


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _signal_rows() -> Select[Any]:
    """Active signals matched to accounts, with what scoring needs of each."""
    return (
        select(
            SignalAccount.account_id,
            Signal.id,
            Signal.type,
            Signal.confidence,
            func.coalesce(Source.reliability, 1.0),
            Signal.published_at,
            Signal.first_seen_at,
            Signal.title,
            Signal.facts["department"].as_string(),
            func.coalesce(Signal.facts["role"].as_string(), Signal.facts["title"].as_string()),
        )
        .join(Signal, Signal.id == SignalAccount.signal_id)
        .outerjoin(Source, Source.id == Signal.source_id)
        .where(SignalAccount.status == "matched", Signal.status == "active")
    )


def _terms_by_account(
    session: Session, query: Select[Any], weights: QueueWeights
) -> dict[int, list[SignalTerm]]:
    found: dict[int, list[SignalTerm]] = defaultdict(list)
    for account_id, *fields in session.execute(query):
        found[account_id].append(signal_term(SignalInput(*fields), weights))
    return found


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(AccountScore)
    statement = statement.on_conflict_do_update(
        index_elements=[AccountScore.account_id],
        set_={
            "terms": statement.excluded.terms,
            "summary": statement.excluded.summary,
            "weights_version": statement.excluded.weights_version,
            "computed_at": statement.excluded.computed_at,
        },
    )
    session.execute(statement, rows)


def _store(
    session: Session,
    workspace_id: int,
    account_ids: Iterable[int],
    found: dict[int, list[SignalTerm]],
    weights: QueueWeights,
) -> int:
    now = utcnow()
    fp, half_life = weights.fingerprint(), weights.half_life_days
    rows = []
    for account_id in account_ids:
        stored = StoredTerms.build(fp, found.get(account_id, []), now.timestamp(), half_life)
        terms = stored.to_json(half_life)
        rows.append(
            {
                "workspace_id": workspace_id,
                "account_id": account_id,
                "terms": terms,
                "summary": terms["summary"],
                "weights_version": weights.version,
                "computed_at": now,
            }
        )
    for start in range(0, len(rows), CHUNK):
        _upsert(session, rows[start : start + CHUNK])
    return len(rows)


def refresh_accounts(session: Session, account_ids: Sequence[int]) -> int:
    """Recompute the stored terms of these accounts (any workspaces); returns rows written."""
    accounts = [
        (account_id, workspace_id)
        for chunk in chunks(sorted(set(account_ids)))
        for account_id, workspace_id in session.execute(
            select(Account.id, Account.workspace_id).where(Account.id.in_(chunk))
        )
    ]
    by_workspace: dict[int, list[int]] = defaultdict(list)
    for account_id, workspace_id in accounts:
        by_workspace[workspace_id].append(account_id)
    written = 0
    for workspace_id, ids in by_workspace.items():
        workspace = session.get_one(Workspace, workspace_id)
        weights = resolve_weights(workspace)
        for chunk in chunks(ids):
            query = _signal_rows().where(SignalAccount.account_id.in_(chunk))
            written += _store(
                session, workspace_id, chunk, _terms_by_account(session, query, weights), weights
            )
    return written


def add_signals(session: Session, signal_ids: Sequence[int], account_ids: Sequence[int]) -> int:
    """Merge new signals into the stored terms of the accounts they are matched to.

    Only the new signals are read, so refreshing after each ingest does not re-read every
    account's history. Rows missing or computed under other weights are recomputed whole.
    Returns rows written.
    """
    stored: dict[int, tuple[int, dict[str, Any] | None]] = {}
    for chunk in chunks(sorted(set(account_ids))):
        query = (
            select(Account.id, Account.workspace_id, AccountScore.terms)
            .outerjoin(AccountScore, AccountScore.account_id == Account.id)
            .where(Account.id.in_(chunk))
        )
        stored.update((account_id, (ws, terms)) for account_id, ws, terms in session.execute(query))
    by_workspace: dict[int, list[int]] = defaultdict(list)
    for account_id, (workspace_id, _) in stored.items():
        by_workspace[workspace_id].append(account_id)
    written, stale = 0, []
    for workspace_id, ids in by_workspace.items():
        weights = resolve_weights(session.get_one(Workspace, workspace_id))
        fp = weights.fingerprint()
        current: dict[int, list[SignalTerm]] = {}
        for account_id in ids:
            terms = stored[account_id][1]
            if terms and terms["summary"]["fp"] == fp:
                current[account_id] = StoredTerms.from_json(terms).signals
            else:
                stale.append(account_id)
        for chunk in chunks(sorted(current)):
            found = {
                account_id: {t.signal_id: t for t in current[account_id]} for account_id in chunk
            }
            for new_chunk in chunks(sorted(set(signal_ids))):
                query = _signal_rows().where(
                    SignalAccount.account_id.in_(chunk), SignalAccount.signal_id.in_(new_chunk)
                )
                for account_id, new_terms in _terms_by_account(session, query, weights).items():
                    found[account_id].update((t.signal_id, t) for t in new_terms)
            merged = {account_id: list(by_id.values()) for account_id, by_id in found.items()}
            written += _store(session, workspace_id, chunk, merged, weights)
    return written + refresh_accounts(session, stale)


def recompute_workspace(session: Session, workspace_id: int) -> int:
    """Recompute every account of the workspace; returns rows written."""
    weights = resolve_weights(session.get_one(Workspace, workspace_id))
    query = _signal_rows().where(SignalAccount.workspace_id == workspace_id)
    found = _terms_by_account(session, query, weights)
    account_ids = session.scalars(select(Account.id).where(Account.workspace_id == workspace_id))
    return _store(session, workspace_id, list(account_ids), found, weights)
