"""The caller's digest: a preview of what they would receive now, and their opt-in."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status

from dealscout.api.deps import CurrentUser, SessionDep, SettingsDep
from dealscout.core.errors import NotFound
from dealscout.flows import digests
from dealscout.flows.digests import Digest, SubscriptionRead, SubscriptionUpdate

router = APIRouter(prefix="/digests", tags=["digests"])


@router.get("/preview", response_model=Digest)
def preview(
    session: SessionDep, user: CurrentUser, kind: Literal["daily", "weekly"] | None = None
) -> Digest:
    return digests.build_digest(session, user, kind)


@router.get("/subscription", response_model=SubscriptionRead)
def get_subscription(session: SessionDep, user: CurrentUser) -> SubscriptionRead:
    row = digests.subscription(session, user)
    if row is None:
        raise NotFound("not subscribed to digests")
    return digests.read_subscription(row)


@router.put("/subscription", response_model=SubscriptionRead)
def put_subscription(
    data: SubscriptionUpdate, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> SubscriptionRead:
    return digests.read_subscription(digests.subscribe(session, settings, user, data))


@router.delete("/subscription", status_code=status.HTTP_204_NO_CONTENT)
def delete_subscription(session: SessionDep, user: CurrentUser) -> None:
    digests.unsubscribe(session, user)
