"""Stage history, loss reasons, coach-report id columns for analytics, digest opt-ins and
deliveries. Existing deals get one history row (their current stage at creation time) and
existing coach reports get their id columns filled from the stored JSON.

Revision ID: 0007
Revises: 0008 (re-chained onto main's 0008 at the merge of main)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dealscout.deals.models import report_tags
from dealscout.core.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAG_COLUMNS = ("met_ids", "contradicted_ids", "missing_ids", "objection_ids")


def upgrade() -> None:
    with op.batch_alter_table("deals") as batch_op:
        batch_op.add_column(sa.Column("loss_reason", sa.String(64), nullable=True))
    with op.batch_alter_table("coach_reports") as batch_op:
        for column in TAG_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=""))
    op.create_index(
        "ix_coach_reports_stage_tags",
        "coach_reports",
        ["stage", "objection_ids", "missing_ids", "workspace_id", "created_at"],
    )
    op.create_table(
        "stage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(64), nullable=True),
        sa.Column("to_stage", sa.String(64), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("loss_reason", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_stage_changes_workspace_id_workspaces"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_stage_changes_deal_id_deals"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_stage_changes_actor_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_changes")),
    )
    op.create_index(op.f("ix_stage_changes_workspace_id"), "stage_changes", ["workspace_id"])
    op.create_index(op.f("ix_stage_changes_deal_id"), "stage_changes", ["deal_id"])
    op.create_table(
        "loss_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_loss_reasons_workspace_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loss_reasons")),
        sa.UniqueConstraint("workspace_id", "code", name=op.f("uq_loss_reasons_workspace_id")),
    )
    op.create_index(op.f("ix_loss_reasons_workspace_id"), "loss_reasons", ["workspace_id"])
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("daily", sa.Boolean(), nullable=False),
        sa.Column("weekly", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("webhook_url", sa.String(2000), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_digest_subscriptions_workspace_id_workspaces"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_digest_subscriptions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_subscriptions")),
        sa.UniqueConstraint("user_id", name=op.f("uq_digest_subscriptions_user_id")),
    )
    op.create_index(op.f("ix_digest_subscriptions_workspace_id"), "digest_subscriptions", ["workspace_id"])
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_digest_deliveries_workspace_id_workspaces"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_digest_deliveries_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_deliveries")),
        sa.UniqueConstraint("user_id", "kind", "channel", "period", name=op.f("uq_digest_deliveries_user_id")),
    )
    op.create_index(op.f("ix_digest_deliveries_workspace_id"), "digest_deliveries", ["workspace_id"])
    op.create_index(op.f("ix_digest_deliveries_user_id"), "digest_deliveries", ["user_id"])
    op.create_index(op.f("ix_digest_deliveries_status"), "digest_deliveries", ["status"])
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO stage_changes (workspace_id, deal_id, from_stage, to_stage, changed_at,"
            " source) SELECT workspace_id, id, NULL, stage, created_at, 'migration' FROM deals"
        )
    )
    reports = sa.table(
        "coach_reports",
        sa.column("id", sa.Integer()),
        sa.column("report", sa.JSON()),
        *(sa.column(c, sa.Text()) for c in TAG_COLUMNS),
    )
    for report_id, report in bind.execute(sa.select(reports.c.id, reports.c.report)).all():
        bind.execute(reports.update().where(reports.c.id == report_id).values(**report_tags(report)))


def downgrade() -> None:
    for table in ("digest_deliveries", "digest_subscriptions", "loss_reasons", "stage_changes"):
        op.drop_table(table)
    op.drop_index("ix_coach_reports_stage_tags", "coach_reports")
    with op.batch_alter_table("coach_reports") as batch_op:
        for column in TAG_COLUMNS:
            batch_op.drop_column(column)
    with op.batch_alter_table("deals") as batch_op:
        batch_op.drop_column("loss_reason")
