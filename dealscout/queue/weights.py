"""The queue's scoring weights: shipped defaults, overridden per workspace.

``Workspace.queue_weights`` holds a partial override (``{"types": {"layoffs": 1.0}}``, or a
whole set); it is merged over the defaults. The result carries a version string: the
override's own ``version`` if it names one, otherwise the default version plus a digest of
the override, so stored scores computed under other weights are recognised as stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from dealscout.accounts.models import Workspace
from dealscout.core.errors import BadInput
from dealscout.ingestion.facts import department_of

DEFAULT_VERSION = "default-1"


def _default_types() -> dict[str, float]:
    return {
        "executive_hire": 3.0,
        "funding": 3.0,
        "strategic_initiative": 2.5,
        "hiring": 1.5,
        "earnings": 1.5,
        "expansion": 1.5,
        "acquisition": 1.5,
        "executive_departure": 1.0,
        "product_launch": 1.0,
        "partnership": 1.0,
        "layoffs": 0.5,
        "risk_event": 0.5,
        "other": 0.25,
    }


def _default_stages() -> dict[str, float]:
    return {
        "prospect": 0.5,
        "qualify": 1.0,
        "discover": 1.0,
        "present": 1.5,
        "propose": 2.0,
        "negotiate": 2.0,
        "close": 2.0,
    }


def _default_topics() -> list[str]:
    return ["automation", "efficiency", "cost", "transformation", "digital", "ai", "cloud"]


class FitWeights(BaseModel):
    industry: float = 1.0
    size: float = 1.0
    region: float = 0.5


class QueueWeights(BaseModel):
    version: str = DEFAULT_VERSION
    half_life_days: float = Field(default=30.0, gt=0)
    types: dict[str, float] = Field(default_factory=_default_types)
    served_boost: float = Field(
        default=2.0,
        description="Multiplies hiring and executive hires in a served department, and "
        "earnings remarks that mention a served department or topic.",
    )
    served_departments: list[str] | None = Field(
        default=None, description="None: the departments of the profile's personas."
    )
    served_topics: list[str] = Field(default_factory=_default_topics)
    fit: FitWeights = Field(default_factory=FitWeights)
    stages: dict[str, float] = Field(default_factory=_default_stages)
    other_open_stage: float = 1.0
    closed_stages: list[str] = Field(default_factory=lambda: ["won", "lost"])
    stale_deal: float = 1.5
    stale_after_days: int = Field(default=30, ge=1)
    contacted: float = Field(default=5.0, description="Penalty right after contact; decays.")
    contacted_half_life_days: float = Field(default=7.0, gt=0)
    snoozed: float = Field(default=100.0, description="Penalty while snoozed: sinks the account.")

    def type_weight(self, signal_type: str) -> float:
        weight = self.types.get(signal_type)
        return weight if weight is not None else self.types.get("other", 0.0)

    def fingerprint(self) -> str:
        """Changes with anything that changes stored terms, including profile-derived values."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def resolve_weights(workspace: Workspace) -> QueueWeights:
    """The workspace's weights, with served departments filled in from its profile."""
    override = dict(workspace.queue_weights or {})
    try:
        weights = QueueWeights.model_validate(_merge(QueueWeights().model_dump(), override))
    except ValidationError as exc:
        raise BadInput(f"invalid queue weights of workspace {workspace.name!r}: {exc}") from exc
    if "version" not in override and override:
        digest = hashlib.sha256(json.dumps(override, sort_keys=True).encode()).hexdigest()[:8]
        weights.version = f"{DEFAULT_VERSION}+{digest}"
    if weights.served_departments is None:
        personas = (workspace.profile or {}).get("personas") or []
        titles = [str(p.get("title", "")) for p in personas if isinstance(p, dict)]
        weights.served_departments = sorted({department_of(t) for t in titles} - {"other"})
    return weights
