"""Pydantic shapes of an account brief (CONTRACT §5 "brief") and the seller's profile."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Engine = Literal["rules", "llm"]
SectionId = Literal[
    "snapshot", "why_now", "timeline", "people", "hiring", "talking_points", "questions", "deal"
]

SECTION_TITLES: dict[SectionId, str] = {
    "snapshot": "Snapshot",
    "why_now": "Why now",
    "timeline": "Timeline",
    "people": "People",
    "hiring": "Hiring",
    "talking_points": "Talking points",
    "questions": "Discovery questions",
    "deal": "Open deal",
}


class BriefItem(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list)


class BriefSection(BaseModel):
    id: SectionId
    title: str
    items: list[BriefItem] = Field(default_factory=list)
    insufficient: bool = False  # True when the only item says the evidence is missing
    engine: Engine = "rules"


class BriefSignal(BaseModel):
    id: int
    type: str
    title: str
    url: str | None
    published_at: datetime
    first_seen_at: datetime
    source: str
    age: str  # "12 days ago", relative to the brief's ``as_of``
    suspicious: bool = False


class Brief(BaseModel):
    account: str
    account_id: int
    generated_at: datetime
    as_of: datetime
    engine: Engine
    model: str | None = None
    tokens: int = 0
    fallback_reason: str | None = None  # why the LLM engine was not used, when it was tried
    sections: list[BriefSection]
    signals: list[BriefSignal]

    def section(self, section_id: SectionId) -> BriefSection:
        return next(s for s in self.sections if s.id == section_id)


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    cares_about: str = Field(default="", max_length=1000)


class IdealCustomerProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    industries: list[str] = Field(default_factory=list, max_length=50)
    employees_min: int | None = Field(default=None, ge=0)
    employees_max: int | None = Field(default=None, ge=0)
    regions: list[str] = Field(default_factory=list, max_length=50)


class WorkspaceProfile(BaseModel):
    """What the workspace sells: briefs tie signals to it. Unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    product: str = Field(default="", max_length=200)
    value_proposition: str = Field(default="", max_length=2000)
    ideal_customer_profile: IdealCustomerProfile = Field(default_factory=IdealCustomerProfile)
    competitors: list[str] = Field(default_factory=list, max_length=50)
    personas: list[Persona] = Field(default_factory=list, max_length=50)
