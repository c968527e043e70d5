"""CSV import of deals in the shape of a CRM export (all rows or none)."""

from __future__ import annotations

import csv
import io
from datetime import date

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.service import require_role
from dealscout.core.errors import BadInput, DealscoutError
from dealscout.deals.models import Deal
from dealscout.deals.schemas import Contact, DealCreate
from dealscout.deals.service import create_deal

MAX_ROWS = 50_000

COLUMNS = {
    "name": ("deal name", "opportunity name", "name", "deal"),
    "account": ("account name", "account", "company"),
    "stage": ("stage", "deal stage"),
    "amount": ("amount", "value", "deal value"),
    "close_date": ("close date", "expected close date"),
    "owner_email": ("owner email", "deal owner email", "owner"),
    "last_buyer_activity": ("last buyer activity", "last activity"),
    "contacts": ("contacts", "buyer contacts"),
}


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


def _contacts(value: str) -> list[Contact]:
    """``Jane Roe (CFO); Sam Poe (IT)`` → contacts with titles."""
    contacts = []
    for item in filter(None, (c.strip() for c in value.split(";"))):
        name, _, title = item.partition("(")
        contacts.append(Contact(name=name.strip(), title=title.rstrip(")").strip()))
    return contacts


def _row(session: Session, user: User, values: dict[str, str], line: int) -> DealCreate:
    account = session.scalar(
        select(Account).where(
            Account.workspace_id == user.workspace_id, Account.name == values["account"]
        )
    )
    if account is None:
        raise BadInput(f"row {line}: unknown account {values['account']!r}")
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
    except (ValueError, ValidationError) as exc:
        raise BadInput(f"row {line}: {str(exc).splitlines()[0]}") from None


def import_deals(session: Session, user: User, text: str) -> DealImportResult:
    require_role(user, "manager", "admin")
    reader = csv.DictReader(io.StringIO(text))
    mapping = _columns(list(reader.fieldnames or []))
    result = DealImportResult()
    with session.begin_nested():  # all rows or none
        for line, raw in enumerate(reader, start=2):
            if line > MAX_ROWS + 1:
                raise BadInput(f"CSV has more than {MAX_ROWS} rows")
            values = {f: (raw.get(col) or "").strip() for f, col in mapping.items()}
            data = _row(session, user, values, line)
            existing = session.scalar(
                select(Deal).where(Deal.workspace_id == user.workspace_id, Deal.name == data.name)
            )
            try:
                if existing is None:
                    create_deal(session, user, data)
                    result.created += 1
                else:
                    for field in ("stage", "amount", "close_date", "last_buyer_activity"):
                        if field in data.model_fields_set:
                            setattr(existing, field, getattr(data, field))
                    result.updated += 1
            except DealscoutError as exc:
                raise BadInput(f"row {line}: {exc}") from None
    return result
