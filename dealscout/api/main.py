"""The FastAPI application: every ``/v1`` route needs a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from dealscout import __version__
from dealscout.api.cached_reads import CachedBriefReads
from dealscout.api.errors import ERROR_RESPONSES, install_error_handlers
from dealscout.api.middleware.limits import BodyLimit, RateLimit
from dealscout.api.middleware.metrics import MetricsMiddleware
from dealscout.api.middleware.requests import RequestContextMiddleware
from dealscout.api.routes import (
    accounts,
    analytics,
    briefs,
    deals,
    digests,
    health,
    metrics,
    profile,
    queue,
    sources,
    users,
)
from dealscout.core.config import Settings, get_settings
from dealscout.core.redact import install_log_redaction
from dealscout.web import analytics as analytics_page
from dealscout.web import app as web


def create_app(settings: Settings | None = None) -> FastAPI:
    install_log_redaction()
    app = FastAPI(
        title="dealscout",
        version=__version__,
        description="Account research and deal coaching for B2B sales teams.",
        docs_url=None,  # served by the pages, from local files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings = settings or get_settings()
    install_error_handlers(app)
    app.add_middleware(CachedBriefReads, settings=settings)  # inside the limits below
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(RateLimit, settings=settings)  # refuses before any read
    app.add_middleware(MetricsMiddleware)  # counts refusals too
    app.add_middleware(RequestContextMiddleware)  # outermost: its id covers everything
    app.include_router(health.router)
    app.include_router(metrics.router)
    v1 = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
    for module in (
        accounts, users, sources, deals, briefs, profile, queue, analytics, digests,
    ):  # fmt: skip
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(analytics_page.router)
    web.install(app)
    return app
