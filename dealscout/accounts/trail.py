"""The audit trail: deletions keep who, what and when, and the rows they removed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import AuditEvent, User
from dealscout.core.db import Base


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(row: Base) -> dict[str, Any]:
    """Every column of ``row`` as JSON-ready values."""
    return {c.key: _jsonable(getattr(row, c.key)) for c in inspect(row).mapper.column_attrs}


def delete_with_trail(
    session: Session,
    actor: User,
    entity: str,
    row: Base,
    cascaded: Mapping[str, Iterable[Base]] | None = None,
) -> AuditEvent:
    """Delete ``row`` (the database cascades to its children) after recording it, and the
    ``cascaded`` rows that go with it, in the audit trail."""
    detail: dict[str, Any] = {"row": snapshot(row)}
    for name, rows in (cascaded or {}).items():
        detail[name] = [snapshot(r) for r in rows]
    event = AuditEvent(
        workspace_id=actor.workspace_id,
        actor_id=actor.id,
        action="delete",
        entity=entity,
        entity_id=int(detail["row"]["id"]),
        detail=detail,
    )
    session.add(event)
    session.delete(row)
    session.flush()
    return event


def audit_events(session: Session, workspace_id: int, limit: int = 100) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.workspace_id == workspace_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
