"""Typed results of the fetching and parsing half of ingestion."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Seniority = Literal["intern", "junior", "senior", "lead", "manager", "director", "vp", "c-level"]
ItemKind = Literal["entry", "article", "job"]
DocumentKind = Literal["feed", "article", "jobs"]


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: object) -> datetime | None:
    """A UTC datetime from ISO 8601, RFC 2822 or epoch (s or ms) values; None if unreadable."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        if isinstance(value, int | float):
            seconds = value / 1000 if value > 10**11 else value
            return datetime.fromtimestamp(seconds, UTC)
        if isinstance(value, str):
            text = value.strip()
            try:
                return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
            except ValueError:
                return as_utc(parsedate_to_datetime(text))
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    return None


class JobFields(BaseModel):
    title: str
    company: str | None = None
    department: str | None = None
    team: str | None = None
    location: str | None = None
    employment_type: str | None = None
    workplace_type: str | None = None
    posted_at: datetime | None = None
    seniority: Seniority | None = None
    board: str | None = None  # greenhouse | lever | ashby | jsonld

    @field_validator("posted_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value else None


class RawItem(BaseModel):
    """One readable unit of a source (feed entry, article page, job post), all text plain."""

    guid: str
    url: str | None = None
    canonical_url: str | None = None
    title: str = ""
    summary: str = ""
    text: str = ""
    lead: str = ""
    published_at: datetime
    date_missing: bool = False
    author: str | None = None
    site_name: str | None = None  # the publisher as the document names it
    kind: ItemKind
    job: JobFields | None = None
    reject_reason: str | None = None
    warnings: list[str] = Field(default_factory=list)

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class ParsedFeed(BaseModel):
    title: str = ""
    items: list[RawItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ParsedDocument(BaseModel):
    kind: DocumentKind
    title: str = ""
    items: list[RawItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
