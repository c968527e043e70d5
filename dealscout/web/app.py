"""Mount the pages, their static files and the self-hosted API docs on the FastAPI app."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from dealscout.web.pages import router
from dealscout.web.render import environment

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def install(app: FastAPI) -> None:
    """Pages at the root, assets under /static, Swagger UI 5 from the ``swagger-ui-py``
    package's files (4.x, as in ``swagger-ui-bundle``, cannot read OpenAPI 3.1)."""
    app.mount("/static", StaticFiles(directory=str(files("dealscout.web") / "static")), "static")
    app.mount(
        "/docs-assets", StaticFiles(directory=str(files("swagger_ui") / "static")), "docs-assets"
    )
    app.include_router(router)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        html = environment().get_template("docs.html").render(title=app.title)
        return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})
