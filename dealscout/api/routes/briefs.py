"""Account briefs: JSON (CONTRACT §5), Markdown or HTML."""

from typing import Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from dealscout.api.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from dealscout.briefs import render, service
from dealscout.briefs.cache import CachedBody, etag_matches
from dealscout.briefs.schemas import Brief

router = APIRouter(prefix="/accounts", tags=["briefs"])

HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get(
    "/{account_id}/brief",
    response_model=Brief,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}}}},
)
def get_brief(
    account_id: IdPath,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    format: Literal["json", "md", "html"] = Query("json"),  # noqa: A002 - the query name
    if_none_match: str | None = Header(None),
) -> Response:
    """The full read; a cached JSON brief is mostly served before routing
    (``api/cached_reads.py``)."""
    if format == "json":
        cached = service.get_brief_body(session, settings, user, account_id)
        return _json(cached, if_none_match)
    brief = service.get_brief(session, settings, user, account_id)
    if format == "md":
        return PlainTextResponse(render.to_markdown(brief), media_type="text/markdown")
    return HTMLResponse(render.to_html(brief), headers=HTML_HEADERS)


def _json(cached: CachedBody, if_none_match: str | None) -> Response:
    """The stored bytes as they are; ``304`` when the client already holds them."""
    headers = {"ETag": cached.etag}
    if if_none_match is not None and etag_matches(if_none_match, cached.etag):
        return Response(status_code=304, headers=headers)
    return Response(cached.body, media_type="application/json", headers=headers)
