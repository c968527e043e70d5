"""``GET /metrics``: Prometheus text format. Open unless ``DEALSCOUT_METRICS_TOKEN`` is set;
then it needs ``Authorization: Bearer <that token>``."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest

from dealscout.accounts.auth import Unauthorized
from dealscout.api.deps import SessionDep, SettingsDep
from dealscout.ingestion.vectors import outbox_backlog

router = APIRouter(tags=["health"])

VECTORS_PENDING = Gauge(
    "dealscout_vectors_pending", "Signals committed in SQL whose vectors are still queued"
)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, settings: SettingsDep, session: SessionDep) -> Response:
    if settings.metrics_token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.metrics_token.encode()):
            raise Unauthorized("metrics need the metrics token")
    VECTORS_PENDING.set(outbox_backlog(session))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
