"""vector_outbox: signals committed in SQL whose vectors are still to be written;
store_probe: the row readiness checks write and read back

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dealscout.core.db import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vector_outbox",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_vector_outbox_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_vector_outbox_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_vector_outbox")),
    )
    op.create_index(
        op.f("ix_vector_outbox_workspace_id"), "vector_outbox", ["workspace_id"], unique=False
    )
    op.create_table(
        "store_probe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_probe")),
    )


def downgrade() -> None:
    op.drop_table("store_probe")
    op.drop_index(op.f("ix_vector_outbox_workspace_id"), table_name="vector_outbox")
    op.drop_table("vector_outbox")
