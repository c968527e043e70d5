"""Words for people: criterion, objection, risk, stage and role ids as labels and sentences."""

from __future__ import annotations

from datetime import date, datetime

from dealscout.ingestion.labels import type_label

CRITERIA: dict[str, tuple[str, str]] = {
    "budget": ("Budget", "the buyer confirmed budget exists, is allocated or accessible"),
    "economic_buyer": ("Economic buyer", "the person with final budget authority is named"),
    "pain": ("Pain", "the buyer confirmed a concrete business problem they want solved"),
    "timeline": ("Timeline", "the buyer stated a decision or go-live timeframe"),
    "metrics": ("Metrics", "quantified impact or success measures"),
    "decision_criteria": ("Decision criteria", "what the buyer will judge options on"),
    "decision_process": ("Decision process", "the steps, approvers or committee that decide"),
    "paper_process": ("Paper process", "legal, procurement, security review or signature steps"),
    "champion": ("Champion", "an internal advocate who sells for us when we are not there"),
    "competition": ("Competition", "competing vendors, in-house build or status quo identified"),
    "next_step": ("Next step", "an agreed next step with a specific date or day"),
    "stakeholders": ("Stakeholders", "at least three buyer-side people engaged or mapped"),
    "meeting_accepted": ("Meeting accepted", "the buyer accepted a meeting"),
    "proposal_requested": ("Proposal requested", "the buyer asked for a proposal or pricing"),
    "proposal_review_date": (
        "Proposal review date",
        "the buyer committed to review the proposal by a specific date",
    ),
    "contract_signed": ("Contract signed", "the contract is signed"),
    "handoff_complete": (
        "Handoff complete",
        "the post-sale team has the goals, pains, contacts and commitments",
    ),
}
OBJECTIONS = {
    "price": "Price",
    "timing": "Timing",
    "competitor": "Competitor",
    "status_quo": "Status quo",
    "authority": "Authority",
    "need": "Need",
    "trust_risk": "Trust and risk",
    "security_compliance": "Security and compliance",
    "integration": "Integration",
    "contract_terms": "Contract terms",
}
STATUS = {
    "met": "Met",
    "missing": "Missing",
    "contradicted": "Contradicted",
    "pending": "Waiting for review",
    "approved": "Approved",
    "needs_work": "Needs work",
    "advance": "Ready to advance",
    "hold": "Hold",
}
ACTIONS = {
    "follow_up_task": "Follow-up task",
    "re_engagement": "Re-engage",
    "archive_suggestion": "Consider archiving",
}


def humanize(identifier: str) -> str:
    """``some_id`` → ``Some id`` for ids no table names."""
    return identifier.replace("_", " ").strip().capitalize() or identifier


def criterion(cid: str) -> str:
    if cid in CRITERIA:
        return CRITERIA[cid][0]
    return humanize(cid)


def criterion_meaning(cid: str, described: dict[str, str] | None = None) -> str:
    """What the notes must show; a process file's own criteria use their description."""
    if described and cid in described:
        return described[cid]
    return CRITERIA[cid][1] if cid in CRITERIA else humanize(cid)


def objection(category: str) -> str:
    return OBJECTIONS.get(category, humanize(category))


def status(value: str) -> str:
    return STATUS.get(value, humanize(value))


def action(value: str) -> str:
    return ACTIONS.get(value, humanize(value))


def signal_type(value: str) -> str:
    return type_label(value)


def day(value: date | datetime | None) -> str:
    """``Mon 14 Dec 2026``; empty for None."""
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def money(amount: float | None, currency: str = "USD") -> str:
    return f"{amount:,.0f} {currency}" if amount is not None else "no amount"
