"""Deals and their coached notes: the visibility rules, storage, and the deal's state.

A note is coached when it is stored; the report, the note and a pending review are written
in the same unit of work, so a manager never sees a note without its report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts import service as accounts
from dealscout.accounts.models import User, Workspace
from dealscout.coach.followups import follow_up_actions
from dealscout.coach.process import load_process
from dealscout.coach.schemas import CoachReport, CriterionResult, SignalHint
from dealscout.coach.service import accumulate_criteria, coach_note
from dealscout.core.db import utcnow
from dealscout.core.errors import BadInput, NotFound
from dealscout.core.llm import LLMGateway
from dealscout.core.usage import metered
from dealscout.deals.models import CoachReportRecord, CriterionOverride, Deal, Note, Review
from dealscout.deals.schemas import (
    DealCreate,
    DealDetail,
    DealRead,
    DealUpdate,
    FollowUp,
    NoteRead,
    Override,
)
from dealscout.ingestion.models import Signal
from dealscout.ingestion.queries import account_signals_query

SIGNAL_HINT_DAYS = 90


def visible_deals_query(user: User):  # type: ignore[no-untyped-def]
    query = select(Deal).where(Deal.workspace_id == user.workspace_id)
    if not accounts.sees_whole_workspace(user):
        query = query.where(Deal.owner_id == user.id)
    return query


def list_deals(session: Session, user: User, *, stage: str | None = None) -> list[Deal]:
    query = visible_deals_query(user).order_by(Deal.id)
    if stage:
        query = query.where(Deal.stage == stage)
    return list(session.scalars(query))


def get_deal(session: Session, user: User, deal_id: int) -> Deal:
    deal = session.get(Deal, deal_id)
    visible = deal is not None and deal.workspace_id == user.workspace_id
    if visible and deal is not None and not accounts.sees_whole_workspace(user):
        visible = deal.owner_id == user.id
    if not visible or deal is None:
        raise NotFound(f"deal {deal_id} not found")
    return deal


def workspace_process_name(session: Session, workspace_id: int) -> str | None:
    workspace = session.get(Workspace, workspace_id)
    return workspace.process_name if workspace else None


def _check_stage(session: Session, workspace_id: int, stage: str) -> None:
    process = load_process(workspace_process_name(session, workspace_id))
    names = [s.id for s in process.stages] + ["won", "lost"]
    if stage not in names:
        raise BadInput(f"unknown stage {stage!r}; valid stages: {', '.join(names)}")


def _owner(session: Session, user: User, owner_email: str | None) -> int | None:
    return accounts.owner_id_for(session, user, owner_email) if owner_email else user.id


def create_deal(session: Session, user: User, data: DealCreate) -> Deal:
    account = accounts.get_account(session, user, data.account_id)
    _check_stage(session, user.workspace_id, data.stage)
    fields = data.model_dump(exclude={"owner_email", "account_id"})
    fields["contacts"] = [c.model_dump() for c in data.contacts]
    deal = Deal(
        workspace_id=user.workspace_id,
        account_id=account.id,
        owner_id=_owner(session, user, data.owner_email),
        **fields,
    )
    session.add(deal)
    session.flush()
    return deal


def update_deal(session: Session, user: User, deal_id: int, data: DealUpdate) -> Deal:
    deal = get_deal(session, user, deal_id)
    changes = data.model_dump(exclude_unset=True, exclude={"owner_email"})
    if changes.get("stage"):
        _check_stage(session, user.workspace_id, changes["stage"])
    if data.contacts is not None:
        changes["contacts"] = [c.model_dump() for c in data.contacts]
    for field, value in changes.items():
        setattr(deal, field, value)
    if data.owner_email is not None:
        accounts.require_role(user, "manager", "admin")
        deal.owner_id = _owner(session, user, data.owner_email)
    session.flush()
    return deal


def signal_hints(session: Session, account_id: int, today: date) -> list[SignalHint]:
    since = datetime.combine(today - timedelta(days=SIGNAL_HINT_DAYS), time.min, tzinfo=UTC)
    rows = session.scalars(
        account_signals_query(account_id)
        .where(Signal.published_at >= since)
        .order_by(Signal.published_at.desc())
        .limit(5)
    )
    return [SignalHint(type=s.type, title=s.title, published_at=s.published_at) for s in rows]


def add_note(
    session: Session,
    user: User,
    deal_id: int,
    text: str,
    *,
    stage: str | None = None,
    buyer_activity: date | None = None,
    gateway: LLMGateway | None = None,
) -> tuple[Note, CoachReportRecord]:
    """Store a note with its coach report and a pending review."""
    deal = get_deal(session, user, deal_id)
    if buyer_activity is not None:
        deal.last_buyer_activity = max(buyer_activity, deal.last_buyer_activity or buyer_activity)
    today = utcnow().date()
    report = coach_note(
        text,
        stage or deal.stage,
        process=workspace_process_name(session, user.workspace_id),
        as_of=today,
        last_buyer_activity=deal.last_buyer_activity,
        close_date=deal.close_date,
        signals=signal_hints(session, deal.account_id, today),
        gateway=metered(gateway, session, user.workspace_id, today) if gateway else None,
    )
    note = Note(
        workspace_id=user.workspace_id,
        deal_id=deal.id,
        author_id=user.id,
        stage=report.stage,
        text=text,
    )
    session.add(note)
    session.flush()
    record = CoachReportRecord(
        workspace_id=user.workspace_id,
        deal_id=deal.id,
        note_id=note.id,
        stage=report.stage,
        engine=report.engine,
        verdict=report.verdict,
        process_name=report.process.name,
        process_version=report.process.version,
        risk_count=len(report.risks),
        report=report.model_dump(mode="json"),
    )
    session.add(record)
    session.flush()
    session.add(Review(workspace_id=user.workspace_id, report_id=record.id, status="pending"))
    session.flush()
    return note, record


def _overrides(session: Session, report_ids: list[int]) -> dict[int, list[Override]]:
    rows = session.execute(
        select(Review.report_id, CriterionOverride.criterion, CriterionOverride.manager_status)
        .join(CriterionOverride, CriterionOverride.review_id == Review.id)
        .where(Review.report_id.in_(report_ids))
        .order_by(CriterionOverride.id)
    )
    found: dict[int, list[Override]] = {}
    for report_id, criterion, status in rows:
        found.setdefault(report_id, []).append(Override(criterion=criterion, status=status))
    return found


def stage_exit_criteria(session: Session, workspace_id: int, stage: str) -> list[str]:
    process = load_process(workspace_process_name(session, workspace_id))
    return next((list(s.exit_criteria) for s in process.stages if s.id == stage), [])


def criteria_state(
    session: Session, records: Sequence[CoachReportRecord]
) -> dict[str, CriterionResult]:
    """The criteria over a deal's coached notes, oldest first (the latest word wins), with
    the managers' overrides applied on top."""
    state = accumulate_criteria(CoachReport.model_validate(r.report) for r in records)
    overrides = _overrides(session, [r.id for r in records])
    for record in records:
        for override in overrides.get(record.id, []):
            if override.criterion in state:
                state[override.criterion] = state[override.criterion].model_copy(
                    update={"status": override.status}
                )
    return state


def deal_detail(session: Session, user: User, deal_id: int) -> DealDetail:
    """The deal, its notes with their reports, the criteria state over all notes with the
    manager's overrides applied, and the follow-up rules that have fired."""
    from dealscout.deals.reviews import review_read

    deal = get_deal(session, user, deal_id)
    pairs = session.execute(
        select(Note, CoachReportRecord)
        .join(CoachReportRecord, CoachReportRecord.note_id == Note.id)
        .where(Note.deal_id == deal.id)
        .order_by(Note.created_at, Note.id)
    ).all()
    records = [record for _, record in pairs]
    notes = []
    for note, record in pairs:
        review = session.scalar(select(Review).where(Review.report_id == record.id))
        notes.append(
            NoteRead(
                id=note.id,
                stage=note.stage,
                text=note.text,
                author_id=note.author_id,
                created_at=note.created_at,
                report_id=record.id,
                report=CoachReport.model_validate(record.report),
                review=review_read(session, review) if review else None,
            )
        )
    overrides = _overrides(session, [r.id for r in records])
    state = criteria_state(session, records)
    exit_ids = stage_exit_criteria(session, user.workspace_id, deal.stage)
    missing = [c for c in exit_ids if c not in state or state[c].status != "met"]
    process = load_process(workspace_process_name(session, user.workspace_id))
    actions = follow_up_actions(
        process,
        deal.stage,
        as_of=utcnow().date(),
        proposal_sent=deal.proposal_sent_on,
        last_buyer_response=deal.last_buyer_activity,
        last_buyer_activity=deal.last_buyer_activity,
    )
    return DealDetail(
        deal=DealRead.model_validate(deal),
        notes=notes,
        criteria=list(state.values()),
        missing=missing,
        overrides=[o for r in records for o in overrides.get(r.id, [])],
        follow_ups=[FollowUp(**asdict(a)) for a in actions],
    )


def deal_has_notes(session: Session, deal_id: int) -> bool:
    return session.scalar(select(Note.id).where(Note.deal_id == deal_id).limit(1)) is not None
