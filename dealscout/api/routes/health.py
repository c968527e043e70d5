"""Liveness and readiness probes (no authentication)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dealscout.api.deps import SettingsDep
from dealscout.core import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(settings: SettingsDep) -> JSONResponse:
    checks = readiness.check_all(settings)
    ready = all(c.ok for c in checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {k: v.__dict__ for k, v in checks.items()},
    }
    return JSONResponse(body, status_code=200 if ready else 503)
