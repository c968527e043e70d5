"""Templates, security headers, answers to one-click actions, and errors shown as pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from dealscout.accounts.auth import Unauthorized
from dealscout.briefs.render import safe_url
from dealscout.core.errors import BadInput, DealscoutError, Forbidden, NotFound, Refused
from dealscout.ingestion.publisher import display_publisher
from dealscout.web import labels
from dealscout.web.security import SESSION_COOKIE, SignInRequired, Viewer

FLASH_COOKIE = "ds_flash"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
ERROR_STATUS: list[tuple[type[Exception], int]] = [
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (BadInput, 422),
    (Refused, 422),
]
ERROR_TITLES = {
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    422: "That did not work",
    500: "Something went wrong",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dealscout.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        safe_url=safe_url,
        day=labels.day,
        money=labels.money,
        criterion=labels.criterion,
        objection=labels.objection,
        status=labels.status,
        action=labels.action,
        signal_type=labels.signal_type,
        humanize=labels.humanize,
    )
    env.globals.update(criterion_meaning=labels.criterion_meaning, publisher=_publisher)
    return env


def _publisher(signal: Any) -> str:
    return display_publisher(signal.source_name, signal.url)


def wants_json(request: Request) -> bool:
    """One-click actions sent by the page's script answer with JSON for in-page feedback."""
    return request.headers.get("x-requested-with") == "fetch"


def page(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    flash = unquote(request.cookies.get(FLASH_COOKIE, ""))
    nav = viewer.nav if viewer else getattr(request.state, "nav", None)
    html = (
        environment()
        .get_template(template)
        .render(viewer=viewer, nav=nav, flash=flash, path=request.url.path, **context)
    )
    response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def done(request: Request, message: str, back: str, **extra: Any) -> Response:
    """The answer to a form: JSON for the page's script, else back to the page with the
    message shown once."""
    if wants_json(request):
        return JSONResponse({"message": message, **extra})
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(
        FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax", path="/"
    )
    return response


def _status_of(exc: Exception) -> int:
    return next((code for cls, code in ERROR_STATUS if isinstance(exc, cls)), 400)


def error_page(request: Request, status_code: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status_code)
    title = ERROR_TITLES.get(status_code, "That did not work")
    return page(request, "error.html", None, status_code, title=title, message=message)


def _validation_message(exc: RequestValidationError | ValidationError) -> str:
    """One line naming each bad field (a request's locations start with body/query)."""
    skip = 1 if isinstance(exc, RequestValidationError) else 0
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())[skip:]) or "form"
        problems.append(f"{labels.humanize(where)}: {err.get('msg', 'invalid')}")
    return "; ".join(problems) or "the form is not valid"


class PageRoute(APIRoute):
    """A page: no session → sign-in redirect; domain errors → an error page (or JSON for the
    page's script), never a traceback or raw JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                if wants_json(request):
                    return JSONResponse({"error": "Signed out: sign in again."}, 401)
                target = quote(request.url.path, safe="/")
                response = RedirectResponse(f"/signin?next={target}", status_code=303)
                response.delete_cookie(SESSION_COOKIE, path="/")
                return response
            except DealscoutError as exc:
                return error_page(request, _status_of(exc), str(exc))
            except (RequestValidationError, ValidationError) as exc:
                return error_page(request, 422, _validation_message(exc))
            except HTTPException as exc:
                return error_page(request, exc.status_code, str(exc.detail))

        return page_handler
