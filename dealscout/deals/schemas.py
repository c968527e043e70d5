"""Pydantic shapes of deals, notes and reviews at the edges (HTTP, CLI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dealscout.coach.schemas import CoachReport, CriterionResult
from dealscout.core.fields import PastDate, PatchModel, RecordId


class Contact(BaseModel):
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=64)


class DealBase(BaseModel):
    stage: str | None = Field(default=None, max_length=64)
    amount: float | None = Field(default=None, ge=0, le=1e15, allow_inf_nan=False)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    close_date: date | None = None  # may lie ahead: it is a plan
    contacts: list[Contact] = Field(default_factory=list, max_length=100)
    last_buyer_activity: PastDate | None = None
    proposal_sent_on: PastDate | None = None


class DealCreate(DealBase):
    name: str = Field(min_length=1, max_length=200)
    account_id: RecordId
    stage: str = Field(default="prospect", max_length=64)
    owner_email: str | None = None


class DealUpdate(DealBase, PatchModel):
    not_null = ("name", "stage", "currency", "contacts")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    owner_email: str | None = None
    contacts: list[Contact] | None = Field(default=None, max_length=100)  # type: ignore[assignment]
    currency: str | None = Field(default=None, min_length=3, max_length=3)  # type: ignore[assignment]


class DealRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    name: str
    stage: str
    amount: float | None
    currency: str
    close_date: date | None
    owner_id: int | None
    contacts: list[dict[str, Any]]
    last_buyer_activity: date | None
    proposal_sent_on: date | None
    created_at: datetime


class NoteCreate(BaseModel):
    text: str
    stage: str | None = None
    buyer_activity: PastDate | None = Field(
        default=None, description="Date of the buyer interaction the note records (not ahead)"
    )


class NoteRead(BaseModel):
    id: int
    stage: str
    text: str
    author_id: int | None
    created_at: datetime
    report_id: int
    report: CoachReport
    review: ReviewRead | None = None


class Override(BaseModel):
    criterion: str
    status: Literal["met", "missing", "contradicted"]


class ReviewSubmit(BaseModel):
    status: Literal["approved", "needs_work"]
    comment: str = Field(default="", max_length=5000)
    overrides: list[Override] = Field(default_factory=list, max_length=40)


class ReviewRead(BaseModel):
    id: int
    report_id: int
    deal_id: int
    deal_name: str
    status: str
    comment: str
    reviewer_id: int | None
    reviewed_at: datetime | None
    verdict: str
    risk_count: int
    missing: list[str]
    overrides: list[Override] = Field(default_factory=list)


class FollowUp(BaseModel):
    """A follow-up rule of the sales process that has fired for the deal."""

    rule_id: str
    action: str
    text: str
    due: date


class DealDetail(BaseModel):
    deal: DealRead
    notes: list[NoteRead]
    criteria: list[CriterionResult]
    missing: list[str]
    overrides: list[Override]
    follow_ups: list[FollowUp]


class DisagreementRow(BaseModel):
    criterion: str
    overrides: int
    reviews: int
    rate: float


NoteRead.model_rebuild()
