"""signal_accounts.aboutness and signals.junk_reason: is a signal about the account?

Revision ID: 0005
Revises: 0008 (after the merge of main; the lead may re-chain)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signal_accounts") as batch_op:
        batch_op.add_column(sa.Column("aboutness", sa.Float(), nullable=True))
    with op.batch_alter_table("signals") as batch_op:
        batch_op.add_column(sa.Column("junk_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signals") as batch_op:
        batch_op.drop_column("junk_reason")
    with op.batch_alter_table("signal_accounts") as batch_op:
        batch_op.drop_column("aboutness")
