"""CSV import of deals in the shape of a CRM export (all rows or none).

Stage history may come along as one column per stage, ``Date entered <stage>`` (HubSpot's
export spelling; ``Entered <stage>`` works too), with a ``Loss Reason`` column for lost
deals; each dated stage becomes a recorded stage change, in date order.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.service import require_role
from dealscout.core.csvrows import RowErrors, read_rows
from dealscout.core.errors import BadInput, DealscoutError
from dealscout.deals.history import latest_change, record_stage_change
from dealscout.deals.models import Deal
from dealscout.deals.schemas import Contact, DealCreate
from dealscout.deals.service import check_stage, create_deal

COLUMNS = {
    "name": ("deal name", "opportunity name", "name", "deal"),
    "account": ("account name", "account", "company"),
    "stage": ("stage", "deal stage"),
    "amount": ("amount", "value", "deal value"),
    "close_date": ("close date", "expected close date"),
    "owner_email": ("owner email", "deal owner email", "owner"),
    "last_buyer_activity": ("last buyer activity", "last activity"),
    "contacts": ("contacts", "buyer contacts"),
    "loss_reason": ("loss reason", "closed lost reason"),
}
_ENTERED = re.compile(r"^(?:date )?entered (.+)$")


class DealImportResult(BaseModel):
    created: int = 0
    updated: int = 0
    errors: list[str] = Field(default_factory=list)


def _columns(fieldnames: list[str]) -> dict[str, str]:
    normalized = {f.strip().lower().replace("_", " "): f for f in fieldnames}
    mapping = {
        field: normalized[spelling]
        for field, spellings in COLUMNS.items()
        for spelling in reversed(spellings)
        if spelling in normalized
    }
    for required in ("name", "account"):
        if required not in mapping:
            raise BadInput(f"CSV has no {required!r} column")
    return mapping


def _history_columns(fieldnames: list[str]) -> dict[str, str]:
    """``{stage: column}`` for the ``Date entered <stage>`` columns."""
    found = {}
    for name in fieldnames:
        match = _ENTERED.match(name.strip().lower().replace("_", " "))
        if match:
            found[match.group(1).strip().replace(" ", "_")] = name
    return found


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{value!r} is not an ISO 8601 date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _history(raw: dict[str, str], columns: dict[str, str]) -> list[tuple[datetime, str]]:
    entries = [
        (_moment(value), stage)
        for stage, column in columns.items()
        if (value := (raw.get(column) or "").strip())
    ]
    return sorted(entries)


def _apply_history(
    session: Session,
    user: User,
    deal: Deal,
    entries: list[tuple[datetime, str]],
    final_stage: str | None,
    loss_reason: str | None,
) -> None:
    """Record the dated entries newer than the deal's history, then the stage column."""
    latest = latest_change(session, deal.id)
    for moment, stage in entries:
        if (latest is None or moment > latest) and stage != deal.stage:
            check_stage(session, user.workspace_id, stage)
            record_stage_change(
                session, deal, stage, actor=user, source="import", changed_at=moment,
                loss_reason=loss_reason if stage == "lost" else None,
            )  # fmt: skip
    if final_stage and final_stage != deal.stage:
        record_stage_change(
            session, deal, final_stage, actor=user, source="import",
            loss_reason=loss_reason if final_stage == "lost" else None,
        )  # fmt: skip


def _first_stage(
    data: DealCreate, entries: list[tuple[datetime, str]], loss_reason: str | None
) -> DealCreate:
    """A new deal starts at its earliest dated stage, or at its stage column now."""
    stage, moment = (entries[0][1], entries[0][0]) if entries else (data.stage, None)
    return data.model_copy(
        update={
            "stage": stage,
            "stage_changed_at": moment,
            "loss_reason": (loss_reason or None) if stage == "lost" else None,
        }
    )


def _contacts(value: str) -> list[Contact]:
    """``Jane Roe (CFO); Sam Poe (IT)`` → contacts with titles."""
    contacts = []
    for item in filter(None, (c.strip() for c in value.split(";"))):
        name, _, title = item.partition("(")
        contacts.append(Contact(name=name.strip(), title=title.rstrip(")").strip()))
    return contacts


def _row(session: Session, user: User, values: dict[str, str]) -> DealCreate:
    """One row as a deal; raises ``BadInput`` with the reason (no row number)."""
    account = session.scalar(
        select(Account).where(
            Account.workspace_id == user.workspace_id, Account.name == values["account"]
        )
    )
    if account is None:
        raise BadInput(f"unknown account {values['account']!r}")
    data: dict[str, object] = {"name": values["name"], "account_id": account.id}
    for field in ("stage", "owner_email"):
        if values.get(field):
            data[field] = values[field]
    try:
        if values.get("amount"):
            data["amount"] = float(values["amount"].replace(",", "").lstrip("$€£"))
        for field in ("close_date", "last_buyer_activity"):
            if values.get(field):
                data[field] = date.fromisoformat(values[field])
        data["contacts"] = _contacts(values.get("contacts", ""))
        return DealCreate.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"{where}: {first['msg']}") from None
    except ValueError as exc:
        raise BadInput(str(exc).splitlines()[0]) from None


def import_deals(session: Session, user: User, text: str) -> DealImportResult:
    require_role(user, "manager", "admin")
    errors = RowErrors()
    header, rows = read_rows(text, errors)
    mapping = _columns(header)
    history = _history_columns(header)
    result = DealImportResult()
    with session.begin_nested():  # all rows or none
        for line, raw in rows:
            values = {f: raw.get(col, "") for f, col in mapping.items()}
            try:
                data = _row(session, user, values)
                entries = _history(raw, history)
            except BadInput as exc:
                errors.add(line, str(exc))
                continue
            final_stage = data.stage if "stage" in data.model_fields_set else None
            reason = values.get("loss_reason") or None
            existing = session.scalar(
                select(Deal).where(Deal.workspace_id == user.workspace_id, Deal.name == data.name)
            )
            try:
                if existing is None:
                    first = _first_stage(data, entries, reason)
                    existing = create_deal(session, user, first, source="import")
                    result.created += 1
                else:
                    for field in ("amount", "close_date", "last_buyer_activity"):
                        if field in data.model_fields_set:
                            setattr(existing, field, getattr(data, field))
                    result.updated += 1
                _apply_history(session, user, existing, entries, final_stage, reason)
            except DealscoutError as exc:
                errors.add(line, str(exc))
        errors.raise_any()
    return result
