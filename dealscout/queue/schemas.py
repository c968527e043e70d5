"""Pydantic shapes of the prospecting queue (CONTRACT §5 ``queue``) and its feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ContributionKind = Literal["signal", "fit", "deal", "contact", "snooze"]


class QueueFilters(BaseModel):
    type: str | None = None
    tier: str | None = None
    region: str | None = None
    limit: int = Field(default=20, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)


class Contribution(BaseModel):
    kind: ContributionKind
    signal_id: int | None = None
    value: float


class Reason(BaseModel):
    text: str
    citations: list[int]
    kind: ContributionKind
    value: float


class QueueItem(BaseModel):
    account: str
    account_id: int
    score: float
    rank: int
    reasons: list[Reason]
    contributions: list[Contribution]
    opening_line: str | None


class Queue(BaseModel):
    weights_version: str
    rep: str | None = Field(description="The rep whose accounts and feedback this is; None: team.")
    as_of: datetime
    total: int
    items: list[QueueItem]


class SnoozeRequest(BaseModel):
    until: date


class RepAccountStateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_id: int
    snoozed_until: date | None
    contacted_at: datetime | None


class DismissedRead(BaseModel):
    signal_id: int
    dismissed: bool = True
