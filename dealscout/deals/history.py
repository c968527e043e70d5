"""Stage history of deals and the workspace's list of loss reasons.

Every stage change is recorded with its time, actor and door (``api``, ``web``, ``import``,
``cli``). Moving a deal to ``lost`` needs a loss reason from the workspace's list; a change
dated in the future, or before the deal's latest recorded change, is refused. These are the
functions the API, the web pages and the CSV import call.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput
from dealscout.deals.models import Deal, LossReason, StageChange

DEFAULT_LOSS_REASONS = (
    ("price", "Price too high"),
    ("no_budget", "No budget"),
    ("competitor", "Chose a competitor"),
    ("no_decision", "No decision / status quo"),
    ("timing", "Bad timing"),
    ("product_fit", "Product did not fit"),
    ("champion_left", "Champion left"),
    ("other", "Other"),
)
# Clocks disagree by a little; a change dated further ahead than this is in the future.
CLOCK_SKEW = timedelta(minutes=5)
_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


class StageChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    deal_id: int
    from_stage: str | None
    to_stage: str
    changed_at: datetime
    actor_id: int | None
    source: str
    loss_reason: str | None


class LossReasonItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    active: bool = True


def loss_reasons(
    session: Session, workspace_id: int, *, active_only: bool = False
) -> list[LossReason]:
    """The workspace's loss reasons in order; the shipped defaults on first use."""
    query = select(LossReason).where(LossReason.workspace_id == workspace_id)
    rows = list(session.scalars(query.order_by(LossReason.position, LossReason.id)))
    if not rows:
        rows = [
            LossReason(workspace_id=workspace_id, code=code, label=label, position=i)
            for i, (code, label) in enumerate(DEFAULT_LOSS_REASONS)
        ]
        session.add_all(rows)
        session.flush()
    return [r for r in rows if r.active or not active_only]


def replace_loss_reasons(
    session: Session, user: User, items: list[LossReasonItem]
) -> list[LossReason]:
    """Set the workspace's list (managers and admins). A code in use by a lost deal cannot be
    removed, only deactivated, so history keeps its meaning."""
    require_role(user, "manager", "admin")
    codes = [i.code for i in items]
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise BadInput(f"loss reason codes are lower-case letters, digits and _: {bad[0]!r}")
    if len(set(codes)) != len(codes):
        raise BadInput("loss reason codes must be unique")
    current = {r.code: r for r in loss_reasons(session, user.workspace_id)}
    dropped = set(current) - set(codes)
    used = session.scalars(
        select(Deal.loss_reason).where(
            Deal.workspace_id == user.workspace_id, Deal.loss_reason.in_(dropped)
        )
    ).first()
    if used:
        raise BadInput(f"loss reason {used!r} is used by lost deals; deactivate it instead")
    for code in dropped:
        session.delete(current[code])
    for position, item in enumerate(items):
        row = current.get(item.code) or LossReason(workspace_id=user.workspace_id, code=item.code)
        row.label, row.active, row.position = item.label, item.active, position
        session.add(row)
    session.flush()
    return loss_reasons(session, user.workspace_id)


def _check_loss_reason(session: Session, workspace_id: int, stage: str, reason: str | None) -> None:
    if stage != "lost":
        if reason:
            raise BadInput("a loss reason is given only when the deal moves to lost")
        return
    valid = [r.code for r in loss_reasons(session, workspace_id, active_only=True)]
    if reason not in valid:
        shown = "none given" if not reason else f"{reason!r} is not in the list"
        raise BadInput(f"a lost deal needs a loss reason ({shown}); valid: {', '.join(valid)}")


def latest_change(session: Session, deal_id: int) -> datetime | None:
    return session.scalar(
        select(func.max(StageChange.changed_at)).where(StageChange.deal_id == deal_id)
    )


def record_stage_change(
    session: Session,
    deal: Deal,
    to_stage: str,
    *,
    actor: User | None,
    source: str,
    changed_at: datetime | None = None,
    loss_reason: str | None = None,
) -> StageChange:
    """Move ``deal`` to ``to_stage`` (already validated against the process) and record it.

    Refused: a date in the future, a date before the deal's latest change, ``lost`` without
    a valid loss reason, or a loss reason on any other stage."""
    now = utcnow()
    when = changed_at or now
    if when.tzinfo is None:
        raise BadInput("a stage change time needs a time zone (UTC: add Z)")
    if when > now + CLOCK_SKEW:
        raise BadInput(f"stage change dated in the future ({when.isoformat()}) refused")
    previous = latest_change(session, deal.id) if deal.id is not None else None
    if previous is not None and when < previous:
        raise BadInput(
            f"stage change dated {when.isoformat()} is before the deal's latest change "
            f"({previous.isoformat()}); history is recorded in order"
        )
    _check_loss_reason(session, deal.workspace_id, to_stage, loss_reason)
    change = StageChange(
        workspace_id=deal.workspace_id,
        deal_id=deal.id,
        from_stage=deal.stage if previous is not None else None,
        to_stage=to_stage,
        changed_at=when,
        actor_id=actor.id if actor else None,
        source=source,
        loss_reason=loss_reason,
    )
    deal.stage, deal.loss_reason = to_stage, loss_reason
    session.add(change)
    session.flush()
    return change


def stage_history(session: Session, deal_id: int) -> list[StageChange]:
    """A deal's changes, oldest first (the caller checked the deal is visible)."""
    query = select(StageChange).where(StageChange.deal_id == deal_id)
    return list(session.scalars(query.order_by(StageChange.changed_at, StageChange.id)))
