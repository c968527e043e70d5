"""Account briefs: JSON (CONTRACT §5), Markdown or HTML."""

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from dealscout.api.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from dealscout.briefs import render, service
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
) -> Response:
    brief = service.get_brief(session, settings, user, account_id)
    if format == "md":
        return PlainTextResponse(render.to_markdown(brief), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(render.to_html(brief), headers=HTML_HEADERS)
    return JSONResponse(brief.model_dump(mode="json"))
