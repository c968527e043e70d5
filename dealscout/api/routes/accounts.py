"""Accounts: CRUD and CSV import."""

from fastapi import APIRouter, Query, UploadFile, status

from dealscout.accounts import csv_import, service
from dealscout.accounts.schemas import AccountCreate, AccountRead, AccountUpdate, ImportResult
from dealscout.api.deps import CurrentUser, IdPath, OffsetQuery, SessionDep
from dealscout.api.uploads import read_csv_upload
from dealscout.deals import deletion

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", response_model=list[AccountRead])
def list_accounts(
    session: SessionDep,
    user: CurrentUser,
    limit: int = Query(100, ge=1, le=1000),
    offset: OffsetQuery = 0,
) -> list[AccountRead]:
    accounts = service.list_accounts(session, user, limit=limit, offset=offset)
    return [AccountRead.model_validate(a) for a in accounts]


@router.post("", response_model=AccountRead, status_code=status.HTTP_201_CREATED)
def create_account(data: AccountCreate, session: SessionDep, user: CurrentUser) -> AccountRead:
    return AccountRead.model_validate(service.create_account(session, user, data))


@router.post("/import", response_model=ImportResult)
def import_accounts(file: UploadFile, session: SessionDep, user: CurrentUser) -> ImportResult:
    text = read_csv_upload(file)
    return csv_import.import_accounts(session, user, text)


@router.get("/{account_id}", response_model=AccountRead)
def get_account(account_id: IdPath, session: SessionDep, user: CurrentUser) -> AccountRead:
    return AccountRead.model_validate(service.get_account(session, user, account_id))


@router.patch("/{account_id}", response_model=AccountRead)
def update_account(
    account_id: IdPath, data: AccountUpdate, session: SessionDep, user: CurrentUser
) -> AccountRead:
    return AccountRead.model_validate(service.update_account(session, user, account_id, data))


@router.delete("/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(account_id: IdPath, session: SessionDep, user: CurrentUser) -> None:
    deletion.delete_account(session, user, account_id)
