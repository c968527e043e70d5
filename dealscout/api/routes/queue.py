"""The prospecting queue and the rep's feedback on it."""

from fastapi import APIRouter, Query

from dealscout.api.deps import CurrentUser, IdPath, OffsetQuery, SessionDep
from dealscout.queue import feedback
from dealscout.queue import service as queue
from dealscout.queue.schemas import (
    DismissedRead,
    Queue,
    QueueFilters,
    RepAccountStateRead,
    SnoozeRequest,
)

router = APIRouter(tags=["queue"])


@router.get("/queue", response_model=Queue)
def get_queue(
    session: SessionDep,
    user: CurrentUser,
    rep: str | None = Query(None, description="A rep's email (managers and admins)."),
    type: str | None = Query(None, description="Only accounts with a signal of this type."),
    tier: str | None = None,
    region: str | None = None,
    limit: int = Query(20, ge=1, le=200),
    offset: OffsetQuery = 0,
) -> Queue:
    filters = QueueFilters(type=type, tier=tier, region=region, limit=limit, offset=offset)
    return queue.build_queue(session, user, rep_email=rep, filters=filters)


@router.post("/queue/{account_id}/snooze", response_model=RepAccountStateRead)
def snooze(
    account_id: IdPath, data: SnoozeRequest, session: SessionDep, user: CurrentUser
) -> RepAccountStateRead:
    return feedback.snooze_account(session, user, account_id, data.until)


@router.post("/queue/{account_id}/contacted", response_model=RepAccountStateRead)
def contacted(account_id: IdPath, session: SessionDep, user: CurrentUser) -> RepAccountStateRead:
    return feedback.mark_contacted(session, user, account_id)


@router.post("/signals/{signal_id}/dismiss", response_model=DismissedRead)
def dismiss(signal_id: IdPath, session: SessionDep, user: CurrentUser) -> DismissedRead:
    return feedback.dismiss_signal(session, user, signal_id)
