"""CSV import of deals in the shape of a CRM export (all rows or none)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.service import require_role
from dealscout.core.csvrows import RowErrors, read_rows
from dealscout.core.errors import BadInput, DealscoutError
from dealscout.deals.models import Deal
from dealscout.deals.schemas import Contact, DealCreate
from dealscout.deals.service import create_deal

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
    result = DealImportResult()
    with session.begin_nested():  # all rows or none
        for line, raw in rows:
            try:
                data = _row(session, user, {f: raw.get(col, "") for f, col in mapping.items()})
            except BadInput as exc:
                errors.add(line, str(exc))
                continue
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
                errors.add(line, str(exc))
        errors.raise_any()
    return result
