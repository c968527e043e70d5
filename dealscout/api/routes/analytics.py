"""Pipeline analytics: the whole result, one part, or one table as CSV. Managers and admins
see the workspace (``rep`` narrows it); a rep sees their own deals and is refused others'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

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


@router.get(
    "/tables/{table}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def table_as_csv(table: str, session: SessionDep, user: CurrentUser, query: FiltersDep) -> Response:
    text = table_csv(compute_analytics(session, user, query), table)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )


@router.get("/{part}")
def part(part: str, session: SessionDep, user: CurrentUser, query: FiltersDep) -> Any:
    if part not in SECTIONS:
        raise NotFound(f"unknown analytics part {part!r}; parts: {', '.join(SECTIONS)}")
    return compute_analytics(session, user, query).model_dump(mode="json")[part]
