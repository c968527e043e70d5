"""Users of the caller's workspace, and their API tokens."""

from fastapi import APIRouter, status

from dealscout.accounts import auth, service
from dealscout.accounts.schemas import (
    TokenCreate,
    TokenIssued,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from dealscout.api.deps import AdminUser, CurrentUser, IdPath, ManagerUser, SessionDep

router = APIRouter(tags=["users"])


@router.get("/me", response_model=UserRead)
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@router.get("/users", response_model=list[UserRead])
def list_users(session: SessionDep, user: ManagerUser) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in service.list_users(session, user.workspace_id)]


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(data: UserCreate, session: SessionDep, user: AdminUser) -> UserRead:
    return UserRead.model_validate(service.create_user(session, user.workspace_id, data))


@router.get("/users/{user_id}", response_model=UserRead)
def get_user(user_id: IdPath, session: SessionDep, user: ManagerUser) -> UserRead:
    return UserRead.model_validate(service.get_user(session, user.workspace_id, user_id))


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(
    user_id: IdPath, data: UserUpdate, session: SessionDep, user: AdminUser
) -> UserRead:
    return UserRead.model_validate(service.update_user(session, user.workspace_id, user_id, data))


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: IdPath, session: SessionDep, user: AdminUser) -> None:
    service.delete_user(session, user.workspace_id, user_id)


@router.post("/users/{user_id}/tokens", response_model=TokenIssued, status_code=201)
def create_token(
    user_id: IdPath, data: TokenCreate, session: SessionDep, user: AdminUser
) -> TokenIssued:
    target = service.get_user(session, user.workspace_id, user_id)
    token, raw = auth.issue_token(
        session, target, name=data.name, expires_in_days=data.expires_in_days
    )
    return TokenIssued.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": raw}
    )


@router.get("/tokens", response_model=list[TokenRead])
def list_tokens(session: SessionDep, user: AdminUser) -> list[TokenRead]:
    return [TokenRead.model_validate(t) for t in auth.list_tokens(session, user.workspace_id)]


@router.delete("/tokens/{token_id}", response_model=TokenRead)
def revoke_token(token_id: IdPath, session: SessionDep, user: AdminUser) -> TokenRead:
    return TokenRead.model_validate(auth.revoke_token(session, user.workspace_id, token_id))
