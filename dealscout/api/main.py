"""The FastAPI application: every ``/v1`` route needs a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from dealscout import __version__
from dealscout.api.errors import ERROR_RESPONSES, install_error_handlers
from dealscout.api.middleware.limits import BodyLimit, RateLimit
from dealscout.api.routes import accounts, briefs, deals, health, profile, queue, sources, users
from dealscout.core.config import Settings, get_settings
from dealscout.core.redact import install_log_redaction


def create_app(settings: Settings | None = None) -> FastAPI:
    install_log_redaction()
    app = FastAPI(
        title="dealscout",
        version=__version__,
        description="Account research and deal coaching for B2B sales teams.",
    )
    app.state.settings = settings = settings or get_settings()
    install_error_handlers(app)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(RateLimit, settings=settings)  # outermost: refuses before any read
    app.include_router(health.router)
    v1 = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)
    for module in (accounts, users, sources, deals, briefs, profile, queue):
        v1.include_router(module.router)
    app.include_router(v1)
    return app
