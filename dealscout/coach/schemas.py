"""Pydantic shapes of the coach report (CONTRACT §5 "coach report") and its inputs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["met", "contradicted", "missing"]
Engine = Literal["rules", "semantic", "llm"]
Evidence = str | list[str] | None


class SignalHint(BaseModel):
    """A recent account signal used to make discovery questions specific."""

    type: str
    title: str
    published_at: date | datetime | None = None


class CriterionResult(BaseModel):
    id: str
    status: Status
    evidence: Evidence = None
    questions: list[str] = Field(default_factory=list)
    engine: Engine = "rules"
    overruled: str | None = None  # a semantic proposal the rules vetoed, and why


class ObjectionResult(BaseModel):
    category: str
    evidence: str
    responses: list[str] = Field(default_factory=list)
    engine: Engine = "rules"


class Risk(BaseModel):
    id: str
    text: str


class ProcessRef(BaseModel):
    name: str
    version: str


class ModelRef(BaseModel):
    """The learned model behind the semantic layer (``dealscout train coach``)."""

    name: str
    version: str


class CoachReport(BaseModel):
    stage: str
    process: ProcessRef
    model: ModelRef | None = None
    engine: Literal["rules", "llm", "mixed"] = "rules"
    verdict: Literal["advance", "hold"]
    criteria: list[CriterionResult]
    missing: list[str]
    objections: list[ObjectionResult]
    questions: list[str]
    risks: list[Risk]

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
