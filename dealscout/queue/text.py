"""Sentences of the queue: one-line reasons and an opening line anchored to the top signal."""

from __future__ import annotations

from typing import Any

from dealscout.ingestion.labels import type_label
from dealscout.ingestion.models import Signal
from dealscout.queue.scoring import DealContext


def _headline(signal: Signal) -> str:
    return " ".join(signal.title.split()).rstrip(".") or "untitled item"


def signal_reason(signal: Signal) -> str:
    label = type_label(signal.type)
    where = ", ".join(p for p in (signal.source_name, f"{signal.published_at:%Y-%m-%d}") if p)
    return f"{label}: {_headline(signal)} ({where})."


def fit_reason(parts: list[str]) -> str:
    return f"Fits the ideal customer profile: {', '.join(parts)}."


def deal_reason(context: DealContext) -> str:
    stale = f"; no buyer activity for {context.stale_days} days" if context.stale_days else ""
    return f"Open deal in the {context.stage} stage{stale}."


def _funding_line(account: str, facts: dict[str, Any]) -> str:
    round_ = facts.get("round")
    amount = (facts.get("amount") or {}).get("raw")
    what = " ".join(str(p) for p in (amount, round_) if p) or "new funding"
    return (
        f"Congratulations on {account}'s {what} — what are the first priorities "
        "as you scale the team and its processes?"
    )


def _executive_line(account: str, facts: dict[str, Any]) -> str:
    person, title = facts.get("person"), facts.get("title")
    who = (
        f"{person} joined as {title}"
        if person and title
        else f"{account} named a new {title or 'leader'}"
    )
    return f"I saw that {who} — what is on the first-90-days list?"


def _hiring_line(account: str, facts: dict[str, Any]) -> str:
    role = facts.get("role") or facts.get("department") or "new roles"
    return (
        f"I noticed {account} is hiring for {role} — is the team scaling ahead of new "
        "process changes?"
    )


_LINES = {"funding": _funding_line, "executive_hire": _executive_line, "hiring": _hiring_line}


def opening_line(account: str, top: Signal | None, fit_parts: list[str]) -> str | None:
    """Anchored to the top signal; without one, to the profile fit; else nothing to say."""
    if top is not None:
        line = _LINES.get(top.type)
        if line is not None:
            return line(account, top.facts or {})
        return (
            f"I saw “{_headline(top)}” ({top.published_at:%b %d}) — how does that change "
            f"{account}'s priorities this quarter?"
        )
    if fit_parts:
        return (
            f"{account} looks like the teams we work with best ({', '.join(fit_parts)}) "
            "— open to a short intro?"
        )
    return None
