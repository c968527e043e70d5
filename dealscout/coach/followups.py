"""Follow-up actions from a process file's rules (no reply to a proposal, no buyer activity)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dealscout.coach.process import FollowUpRule, SalesProcess


@dataclass(frozen=True)
class FollowUpAction:
    rule_id: str
    action: str  # follow_up_task | re_engagement | archive_suggestion
    text: str
    due: date  # the day the rule fired


def follow_up_actions(
    process: SalesProcess,
    stage: str,
    *,
    as_of: date,
    proposal_sent: date | None = None,
    last_buyer_response: date | None = None,
    last_buyer_activity: date | None = None,
) -> list[FollowUpAction]:
    """Every rule that has fired by ``as_of`` for a deal at ``stage``, earliest first."""
    actions: list[FollowUpAction] = []
    for rule in process.follow_up_rules:
        if rule.stages and stage not in rule.stages:
            continue
        start = _clock_start(rule, proposal_sent, last_buyer_response, last_buyer_activity)
        if start is None:
            continue
        due = add_days(start, rule.after_days, business=rule.business_days)
        if due <= as_of:
            actions.append(FollowUpAction(rule.id, rule.action, rule.text, due))
    return sorted(actions, key=lambda a: a.due)


def _clock_start(
    rule: FollowUpRule,
    proposal_sent: date | None,
    last_buyer_response: date | None,
    last_buyer_activity: date | None,
) -> date | None:
    if rule.trigger == "no_buyer_activity":
        return last_buyer_activity
    if proposal_sent is None:
        return None
    if last_buyer_response is not None and last_buyer_response >= proposal_sent:
        return None  # the buyer answered the proposal
    return proposal_sent


def add_days(start: date, days: int, *, business: bool) -> date:
    """``start`` plus ``days`` calendar days, or business days (Monday–Friday)."""
    if not business:
        return start + timedelta(days=days)
    current, left = start, days
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
