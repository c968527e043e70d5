"""Pipeline analytics: the whole result, one part, or one table as CSV. Managers and admins
see the workspace (``rep`` narrows it); a rep sees their own deals and is refused others'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from dealscout.analytics.export import table_csv
from dealscout.analytics.schemas import SECTIONS, Analytics, AnalyticsFilters
from dealscout.analytics.service import compute_analytics
from dealscout.api.deps import CurrentUser, SessionDep
from dealscout.core.errors import NotFound

router = APIRouter(prefix="/analytics", tags=["analytics"])


FiltersDep = Annotated[AnalyticsFilters, Query()]


@router.get("", response_model=Analytics)
def analytics(session: SessionDep, user: CurrentUser, query: FiltersDep) -> Analytics:
    return compute_analytics(session, user, query)


@router.get("/tables/{name}.csv", response_class=PlainTextResponse)
def table(
    name: str, session: SessionDep, user: CurrentUser, query: FiltersDep
) -> PlainTextResponse:
    text = table_csv(compute_analytics(session, user, query), name)
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/{part}")
def part(part: str, session: SessionDep, user: CurrentUser, query: FiltersDep) -> Any:
    if part not in SECTIONS:
        raise NotFound(f"unknown analytics part {part!r}; parts: {', '.join(SECTIONS)}")
    return compute_analytics(session, user, query).model_dump(mode="json")[part]
