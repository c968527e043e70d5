"""Sources (http/https only through the API), fetching on demand, and account signals."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from dealscout.api.deps import CurrentUser, IdPath, OffsetQuery, SessionDep, SettingsDep
from dealscout.core.errors import Refused, Transient
from dealscout.core.fields import MAX_DB_INT
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion import sources
from dealscout.ingestion.source_schemas import SignalRead, SourceCreate, SourceRead, SourceUpdate
from dealscout.ingestion.urlsafety import AddressPolicy

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=list[SourceRead])
def list_sources(
    session: SessionDep,
    user: CurrentUser,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_DB_INT)] = None,
) -> list[SourceRead]:
    return [SourceRead.model_validate(s) for s in sources.list_sources(session, user, account_id)]


@router.post("/sources", response_model=SourceRead, status_code=status.HTTP_201_CREATED)
def create_source(
    data: SourceCreate, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> SourceRead:
    """The URL is refused (422) when its host is or resolves to an unsafe address."""
    policy = AddressPolicy.build(allow_private=settings.allow_private_urls)
    return SourceRead.model_validate(sources.create_source(session, user, data, policy))


@router.get("/sources/{source_id}", response_model=SourceRead)
def get_source(source_id: IdPath, session: SessionDep, user: CurrentUser) -> SourceRead:
    return SourceRead.model_validate(sources.visible_source(session, user, source_id))


@router.patch("/sources/{source_id}", response_model=SourceRead)
def update_source(
    source_id: IdPath, data: SourceUpdate, session: SessionDep, user: CurrentUser
) -> SourceRead:
    return SourceRead.model_validate(ingest_flow.update_source(session, user, source_id, data))


@router.delete("/sources/{source_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_source(source_id: IdPath, session: SessionDep, user: CurrentUser) -> None:
    sources.delete_source(session, user, source_id)


@router.post("/sources/{source_id}/fetch", response_model=SourceRead)
def fetch_source(
    source_id: IdPath, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> SourceRead:
    """Fetch now, in the request; the outcome is recorded on the source either way."""
    source = sources.visible_source(session, user, source_id)
    report = ingest_flow.fetch_and_follow_up(session, settings, source)
    session.commit()  # keep the failure record even when we answer with an error
    if isinstance(report.failure, Refused | Transient):
        raise report.failure
    return SourceRead.model_validate(source)


@router.get("/accounts/{account_id}/signals", response_model=list[SignalRead])
def account_signals(
    account_id: IdPath,
    session: SessionDep,
    user: CurrentUser,
    type: str | None = None,  # noqa: A002  (the query parameter's public name)
    since: datetime | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: OffsetQuery = 0,
) -> list[SignalRead]:
    rows = sources.account_signals(
        session, user, account_id, signal_type=type, since=since, limit=limit, offset=offset
    )
    return [SignalRead.model_validate(s) for s in rows]
