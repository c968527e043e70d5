"""How much a signal matters for a brief: recency × type weight × relevance to the seller.

Older signals weigh less (a 30-day half-life); relevance is the overlap of the signal's
words with the workspace's value proposition and personas, so a new CFO outranks a new
CMO for a finance product. Deterministic and offline: no embeddings at brief time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dealscout.briefs.schemas import WorkspaceProfile

HALF_LIFE_DAYS = 30.0
SUSPICIOUS_FACTOR = 0.5
TYPE_WEIGHTS: dict[str, float] = {
    "funding": 1.0,
    "executive_hire": 1.0,
    "strategic_initiative": 0.95,
    "acquisition": 0.9,
    "expansion": 0.85,
    "executive_departure": 0.8,
    "hiring": 0.75,
    "risk_event": 0.7,
    "earnings": 0.65,
    "layoffs": 0.65,
    "partnership": 0.6,
    "product_launch": 0.6,
    "other": 0.25,
}
_WORD = re.compile(r"[a-z][a-z0-9&-]{3,}")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "about after also and are been but can for from have into its more most only other our "
        "over same some such than that the their them they this through very were what when "
        "where which while will with your days faster stop",
    )
)


@dataclass(frozen=True)
class SignalView:
    """The columns of an active signal that briefs use (never the full page text)."""

    id: int
    type: str
    confidence: float
    title: str
    summary: str
    url: str | None
    published_at: datetime
    first_seen_at: datetime
    source: str
    suspicious: bool
    facts: dict[str, Any]


def stems(text: str) -> set[str]:
    """Crude stems (first six letters of each content word), enough to match
    "finance"/"financial" or "invoice"/"invoices" without a language model."""
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}


def profile_stems(profile: WorkspaceProfile) -> frozenset[str]:
    parts = [profile.product, profile.value_proposition]
    parts += [f"{p.title} {p.cares_about}" for p in profile.personas]
    return frozenset(stems(" ".join(parts)))


def age_days(when: datetime, as_of: datetime) -> float:
    return max(0.0, (as_of - when).total_seconds() / 86400)


def recency(when: datetime, as_of: datetime) -> float:
    return float(0.5 ** (age_days(when, as_of) / HALF_LIFE_DAYS))


def relevance(signal: SignalView, terms: frozenset[str]) -> float:
    """0.5 with no overlap, up to 1.0 when three or more profile stems appear."""
    if not terms:
        return 1.0
    hits = len(terms & stems(f"{signal.title} {signal.summary[:600]}"))
    return 0.5 + 0.5 * min(1.0, hits / 3)


def score(signal: SignalView, as_of: datetime, terms: frozenset[str]) -> float:
    """The classifier's confidence scales the type weight (a shaky label counts half)."""
    weight = TYPE_WEIGHTS.get(signal.type, TYPE_WEIGHTS["other"]) * (0.5 + 0.5 * signal.confidence)
    factor = SUSPICIOUS_FACTOR if signal.suspicious else 1.0
    return recency(signal.published_at, as_of) * weight * relevance(signal, terms) * factor


def ranked(signals: list[SignalView], as_of: datetime, terms: frozenset[str]) -> list[SignalView]:
    """Best first; ties go to the newer signal, then the lower id (stable output)."""
    return sorted(
        signals,
        key=lambda s: (-score(s, as_of, terms), -s.published_at.timestamp(), s.id),
    )


def age_text(when: datetime, as_of: datetime) -> str:
    days = int(age_days(when, as_of))
    if days == 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"
