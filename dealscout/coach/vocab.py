"""The CONTRACT's fixed coach vocabularies (CONTRACT §2, §3, §4). Never rename an id."""

from __future__ import annotations

CRITERIA: tuple[str, ...] = (
    "budget",
    "economic_buyer",
    "pain",
    "timeline",
    "metrics",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "champion",
    "competition",
    "next_step",
    "stakeholders",
)
STAGE_CRITERIA: tuple[str, ...] = (
    "meeting_accepted",
    "proposal_requested",
    "proposal_review_date",
    "contract_signed",
    "handoff_complete",
)
CONTRACT_CRITERIA: frozenset[str] = frozenset(CRITERIA + STAGE_CRITERIA)
OBJECTIONS: tuple[str, ...] = (
    "price",
    "timing",
    "competitor",
    "status_quo",
    "authority",
    "need",
    "trust_risk",
    "security_compliance",
    "integration",
    "contract_terms",
)
STAGES: tuple[str, ...] = (
    "prospect",
    "qualify",
    "discover",
    "present",
    "propose",
    "negotiate",
    "close",
)
TERMINAL_STAGES: tuple[str, ...] = ("won", "lost")
RISKS: tuple[str, ...] = (
    "single_threaded",
    "no_dated_next_step",
    "champion_gone",
    "stale",
    "close_date_past",
    "stage_skipped",
)
