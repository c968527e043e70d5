"""The queue's score terms as pure functions (no database).

Every contribution is rounded to 4 decimals and kept as an integer count of ``1e-4`` units,
so an item's score is exactly the sum of its contributions. Signals are stored undecayed
(``weight × confidence × reliability`` with their date); decay ``0.5 ** (age / half-life)``
applies at read time. Because decay is exponential, an account's decayed signal sum is its
stored ``mass`` times one factor shared by every account, which ranks thousands of accounts
without touching their signal lists.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from dealscout.ingestion.facts import department_of
from dealscout.queue.weights import QueueWeights

UNIT = 10_000
DAY_S = 86_400.0


def to_units(value: float) -> int:
    return round(value * UNIT)


def from_units(units: int) -> float:
    return units / UNIT


def decay(age_s: float, half_life_days: float) -> float:
    return float(0.5 ** (max(age_s, 0.0) / DAY_S / half_life_days))


# --- signals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalInput:
    """What scoring needs of one active signal linked to an account (``department`` and
    ``role`` come from its facts: a job's role, or an executive's title)."""

    id: int
    type: str
    confidence: float
    reliability: float
    published_at: datetime
    first_seen_at: datetime
    title: str
    department: str | None
    role: str | None


class SignalTerm(NamedTuple):
    """A stored, undecayed signal term: ``value`` is weight × confidence × reliability (to
    6 decimals), ``at`` its date in epoch seconds. Stored as a JSON array."""

    signal_id: int
    value: float
    at: int
    type: str

    def units(self, now_s: float, half_life_days: float) -> int:
        return to_units(self.value * decay(now_s - self.at, half_life_days))


_department = lru_cache(maxsize=4096)(department_of)  # job and executive titles repeat


@lru_cache(maxsize=32)
def _mentions(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


def is_served(signal: SignalInput, weights: QueueWeights) -> bool:
    """Hiring or an executive hire for a department the product serves, or an earnings
    remark about a served department or topic."""
    departments = weights.served_departments or []
    if signal.type in ("hiring", "executive_hire"):
        return (signal.department or _department(signal.role or signal.title)) in departments
    if signal.type == "earnings":
        words = tuple([*departments, *weights.served_topics])
        return bool(words) and _mentions(words).search(signal.title) is not None
    return False


def signal_term(signal: SignalInput, weights: QueueWeights) -> SignalTerm:
    weight = weights.type_weight(signal.type)
    if is_served(signal, weights):
        weight *= weights.served_boost
    # a misdated item from the future counts from when it was seen
    at = int(min(signal.published_at, signal.first_seen_at).timestamp())
    value = round(weight * signal.confidence * signal.reliability, 6)
    return SignalTerm(signal.id, value, at, signal.type)


@dataclass(frozen=True)
class Summary:
    """What ranking reads of every account, without decoding the signal list."""

    fp: str
    mass: float
    ref: int
    n: int
    types: dict[str, int]

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Summary | None:
        return cls(**data) if data else None

    def signal_sum(self, now_s: float, half_life_days: float) -> float:
        return self.mass * decay(now_s - self.ref, half_life_days)


@dataclass
class StoredTerms:
    """The JSON kept in ``AccountScore.terms``: the signal terms plus a ranking summary.

    ``mass`` is the signal sum decayed to the time ``ref``; at ``now`` the account's signal
    part is ``mass × decay(now - ref)``. ``fp`` is the fingerprint of the weights used.
    """

    fp: str
    signals: list[SignalTerm] = field(default_factory=list)

    @classmethod
    def build(
        cls, fp: str, signals: list[SignalTerm], now_s: float, half_life_days: float
    ) -> StoredTerms:
        """Drop terms that already round to zero: decay only shrinks them further."""
        kept = [s for s in signals if s.units(now_s, half_life_days)]
        return cls(fp, sorted(kept, key=lambda s: s.signal_id))

    def to_json(self, half_life_days: float) -> dict[str, Any]:
        ref = max((s.at for s in self.signals), default=0)
        mass = sum(s.value * decay(ref - s.at, half_life_days) for s in self.signals)
        summary = Summary(
            self.fp, mass, ref, len(self.signals), dict(Counter(s.type for s in self.signals))
        )
        return {
            "summary": asdict(summary),
            "signals": self.signals,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredTerms:
        signals = [SignalTerm(*row) for row in data["signals"]]
        return cls(str(data["summary"]["fp"]), signals)


# --- other terms -------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFacts:
    industry: str | None
    employee_count: int | None
    region: str | None


@dataclass(frozen=True)
class Icp:
    """The workspace profile's ideal customer profile, normalised once per read."""

    industries: frozenset[str]
    regions: frozenset[str]
    employees_min: int | None
    employees_max: int | None

    @classmethod
    def from_profile(cls, profile: dict[str, Any]) -> Icp:
        icp = profile.get("ideal_customer_profile") or {}
        return cls(
            frozenset(str(i).lower() for i in icp.get("industries") or []),
            frozenset(str(r).lower() for r in icp.get("regions") or []),
            icp.get("employees_min"),
            icp.get("employees_max"),
        )

    def fits_size(self, size: int | None) -> bool:
        if size is None or (self.employees_min is None and self.employees_max is None):
            return False
        return (self.employees_min or 0) <= size <= (self.employees_max or size)


def fit_term(account: AccountFacts, icp: Icp, weights: QueueWeights) -> tuple[int, list[str]]:
    """Ideal-customer-profile fit: units and the matched parts, for the reason sentence."""
    value, parts = 0.0, []
    if account.industry and account.industry.lower() in icp.industries:
        value += weights.fit.industry
        parts.append(f"{account.industry} industry")
    if icp.fits_size(account.employee_count):
        value += weights.fit.size
        parts.append(f"{account.employee_count:,} employees")
    if account.region and account.region.lower() in icp.regions:
        value += weights.fit.region
        parts.append(f"{account.region} region")
    return to_units(value), parts


@dataclass(frozen=True)
class OpenDeal:
    stage: str
    last_buyer_activity: date | None


@dataclass(frozen=True)
class DealContext:
    stage: str
    stale_days: int | None


def deal_term(
    deals: list[OpenDeal], today: date, weights: QueueWeights
) -> tuple[int, DealContext | None]:
    """The most advanced open deal's stage weight, plus a bonus when any open deal is stale."""
    if not deals:
        return 0, None
    best = max(deals, key=lambda d: weights.stages.get(d.stage, weights.other_open_stage))
    value = weights.stages.get(best.stage, weights.other_open_stage)
    idle = [(today - d.last_buyer_activity).days for d in deals if d.last_buyer_activity]
    stale = max(idle, default=0)
    if stale >= weights.stale_after_days:
        value += weights.stale_deal
    return to_units(value), DealContext(
        best.stage, stale if stale >= weights.stale_after_days else None
    )


def contact_term(contacted_at: datetime | None, now: datetime, weights: QueueWeights) -> int:
    if contacted_at is None:
        return 0
    age = (now - contacted_at).total_seconds()
    return -to_units(weights.contacted * decay(age, weights.contacted_half_life_days))


def snooze_term(snoozed_until: date | None, today: date, weights: QueueWeights) -> int:
    """Snoozed until a date: the account comes back on that date."""
    return -to_units(weights.snoozed) if snoozed_until and snoozed_until > today else 0
