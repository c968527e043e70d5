"""Pydantic shapes of sources and signals at the HTTP edge."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dealscout.core.fields import PatchModel, RecordId
from dealscout.core.redact import redact
from dealscout.ingestion.models import Signal, SignalAccount

SourceKind = Literal["auto", "feed", "page", "jobs"]


def _http_url(value: str) -> str:
    """The API takes http(s) URLs only: local paths are for the command line."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL")
    return value.strip()


class SourceCreate(BaseModel):
    url: str = Field(max_length=2048)
    account_id: RecordId | None = None
    kind: SourceKind = "auto"
    name: str = Field(default="", max_length=200)
    interval_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    reliability: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value)


class SourceUpdate(PatchModel):
    not_null = ("name", "interval_minutes", "reliability", "enabled")

    name: str | None = Field(default=None, max_length=200)
    interval_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    reliability: float | None = Field(default=None, ge=0.0, le=1.0)
    enabled: bool | None = None


class SourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    account_id: int | None
    kind: str
    name: str
    enabled: bool
    interval_minutes: int
    reliability: float
    last_fetch_at: datetime | None
    last_status: str | None
    last_http_code: int | None
    last_fetched: int
    last_new: int
    last_duplicates: int
    last_rejected: int
    last_error: str | None
    failures: int
    next_fetch_at: datetime | None

    @field_validator("url", "last_error")
    @classmethod
    def _no_secrets(cls, value: str | None) -> str | None:
        """Credentials and keys in a source URL are needed to fetch, never shown."""
        return redact(value) if value else value


class SignalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str
    confidence: float
    secondary: list[dict[str, Any]]
    facts: dict[str, Any]
    model_version: str | None  # the classifier model that typed it (None: typed by structure)
    title: str
    summary: str
    url: str | None
    source_name: str
    source_id: int | None
    published_at: datetime
    date_missing: bool
    first_seen_at: datetime
    announced: bool
    suspicious: bool
    junk_reason: str | None = None
    link_status: str = "matched"  # of this account's link: matched, ambiguous or off_topic
    link_reason: str = ""
    aboutness: float | None = None

    @classmethod
    def from_rows(cls, signal: Signal, link: SignalAccount) -> SignalRead:
        """The signal as the account sees it: with its link's status, reason and aboutness."""
        read = cls.model_validate(signal)
        read.link_status, read.link_reason, read.aboutness = (
            link.status,
            link.reason,
            link.aboutness,
        )
        return read
