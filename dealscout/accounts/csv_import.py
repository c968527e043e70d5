"""CSV import of accounts in the shape of a CRM export.

Column names vary between CRMs, so each field accepts a few spellings. The import is all or
nothing: any bad row refuses the whole file, naming every bad row, so nothing is
half-loaded.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import Account, User
from dealscout.accounts.schemas import AccountCreate, ImportResult
from dealscout.accounts.service import create_account, require_role
from dealscout.core.csvrows import RowErrors, read_rows
from dealscout.core.errors import BadInput

COLUMNS = {
    "name": ("name", "account name", "account", "company", "company name"),
    "domain": ("domain", "website", "web site", "url", "company domain"),
    "industry": ("industry",),
    "employee_count": ("employees", "employee count", "number of employees", "headcount"),
    "owner_email": ("owner email", "owner_email", "account owner email", "owner"),
    "region": ("region", "billing country", "country", "territory"),
    "tier": ("tier",),
    "aliases": ("aliases", "also known as"),
}


def _header_map(fieldnames: list[str]) -> dict[str, str]:
    normalized = {f.strip().lower().replace("_", " "): f for f in fieldnames}
    mapping = {}
    for field, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling.replace("_", " ") in normalized:
                mapping[field] = normalized[spelling.replace("_", " ")]
                break
    if "name" not in mapping:
        raise BadInput("CSV has no account name column (expected 'name' or 'Account Name')")
    return mapping


def _account_row(values: dict[str, str]) -> AccountCreate:
    """One row as an account; raises ``BadInput`` with the reason (no row number)."""
    data: dict[str, object] = {k: v for k, v in values.items() if v}
    if "employee_count" in data:
        digits = str(data["employee_count"]).replace(",", "")
        if not digits.isdigit():
            raise BadInput(f"employees must be a whole number, got {digits!r}")
        data["employee_count"] = int(digits)
    if "aliases" in data:
        data["aliases"] = [a.strip() for a in str(data["aliases"]).split(";") if a.strip()]
    try:
        return AccountCreate.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"{where}: {first['msg']}") from None


def parse_accounts_csv(text: str) -> list[AccountCreate]:
    errors = RowErrors()
    header, rows = read_rows(text, errors)
    mapping = _header_map(header)
    accounts: list[AccountCreate] = []
    for line, raw in rows:
        try:
            accounts.append(_account_row({f: raw.get(col, "") for f, col in mapping.items()}))
        except BadInput as exc:
            errors.add(line, str(exc))
    errors.raise_any()
    return accounts


def import_accounts(session: Session, user: User, text: str) -> ImportResult:
    """Create new accounts and update existing ones (matched by name)."""
    require_role(user, "manager", "admin")
    result = ImportResult()
    for row in parse_accounts_csv(text):
        existing = session.scalar(
            select(Account).where(
                Account.workspace_id == user.workspace_id, Account.name == row.name
            )
        )
        if existing is None:
            create_account(session, user, row)
            result.created += 1
            continue
        for field, value in row.model_dump(
            exclude={"owner_email", "name"}, exclude_unset=True
        ).items():
            setattr(existing, field, value)
        result.updated += 1
    return result
