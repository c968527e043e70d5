"""The workspace's pipeline audit: deals read from the store, judged by ``coach.audit``."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealscout.accounts.models import User
from dealscout.accounts.service import require_role
from dealscout.coach.audit import DealSnapshot, audit_pipeline
from dealscout.coach.process import load_process
from dealscout.deals.models import Deal, Note
from dealscout.deals.service import workspace_process_name


def audit_workspace(session: Session, manager: User) -> dict[str, object]:
    """Per stage, the deals whose notes do not show the previous stage's exit criteria, and
    the pipeline value with and without them."""
    require_role(manager, "manager", "admin")
    workspace_id = manager.workspace_id
    notes: dict[int, list[str]] = defaultdict(list)
    for deal_id, text in session.execute(
        select(Note.deal_id, Note.text).where(Note.workspace_id == workspace_id).order_by(Note.id)
    ):
        notes[deal_id].append(text)
    deals = session.scalars(select(Deal).where(Deal.workspace_id == workspace_id).order_by(Deal.id))
    snapshots = [
        DealSnapshot(id=d.id, stage=d.stage, value=d.amount or 0.0, notes=notes[d.id], name=d.name)
        for d in deals
    ]
    audit = audit_pipeline(snapshots, load_process(workspace_process_name(session, workspace_id)))
    return {
        "process": audit.process,
        "total_value": audit.total_value,
        "supported_value": audit.supported_value,
        "stages": [
            {
                "stage": stage.stage,
                "deals": stage.deals,
                "value": stage.value,
                "supported_value": stage.supported_value,
                "unsupported": [
                    {"deal_id": d.id, "name": d.name, "value": d.value, "missing": d.missing}
                    for d in stage.unsupported
                ],
            }
            for stage in audit.stages
        ],
    }
