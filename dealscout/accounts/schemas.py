"""Pydantic shapes of workspaces, users, tokens and accounts at the edges (HTTP, CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dealscout.core.fields import Count, PatchModel

Role = Literal["rep", "manager", "admin"]


class UserCreate(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(default="", max_length=200)
    role: Role = "rep"

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if "@" not in value or value.startswith("@") or value.endswith("@") or " " in value:
            raise ValueError("not an email address")
        return value


class UserUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    role: Role | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: str
    created_at: datetime


class TokenCreate(BaseModel):
    name: str = Field(default="", max_length=120)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenRead):
    token: str


class AccountBase(BaseModel):
    domain: str | None = Field(default=None, max_length=253)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    industry: str | None = Field(default=None, max_length=120)
    employee_count: Count | None = None
    region: str | None = Field(default=None, max_length=64)
    tier: str | None = Field(default=None, max_length=16)
    description: str | None = Field(default=None, max_length=5000)

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        from dealscout.accounts.domains import normalize_domain

        return normalize_domain(value) if value else None


class AccountCreate(AccountBase):
    name: str = Field(min_length=1, max_length=200)
    owner_email: str | None = None


class AccountUpdate(AccountBase, PatchModel):
    not_null = ("name", "aliases")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    owner_email: str | None = None
    aliases: list[str] | None = Field(default=None, max_length=20)  # type: ignore[assignment]


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    domain: str | None
    aliases: list[str]
    industry: str | None
    employee_count: int | None
    region: str | None
    tier: str | None
    description: str | None
    owner_id: int | None
    created_at: datetime


class ImportResult(BaseModel):
    created: int = 0
    updated: int = 0
    errors: list[str] = Field(default_factory=list)
