"""Liveness and readiness probes (no authentication)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dealscout.api.deps import SessionDep, SettingsDep
from dealscout.core import readiness
from dealscout.flows import ingest as ingest_flow
from dealscout.ingestion.vectors import outbox_backlog

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(settings: SettingsDep, session: SessionDep) -> JSONResponse:
    """Each store written and read back. ``vectors_pending`` counts signals whose vectors
    are still queued (the index catches up; it does not make the service unready)."""
    checks = readiness.check_all(settings, ingest_flow.vector_store(settings))
    ready = all(c.ok for c in checks.values())
    try:
        pending: int | None = outbox_backlog(session)
    except Exception:  # the database check above already says what is wrong
        pending = None
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {k: v.__dict__ for k, v in checks.items()},
        "vectors_pending": pending,
    }
    return JSONResponse(body, status_code=200 if ready else 503)
