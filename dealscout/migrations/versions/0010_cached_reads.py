"""Cached reads: accounts.version; briefs cached as the bytes the API sends

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute("DELETE FROM brief_cache")  # a cache: regenerated on the next read
    with op.batch_alter_table("brief_cache") as batch_op:
        batch_op.drop_column("content")
        batch_op.add_column(sa.Column("body", sa.LargeBinary(), nullable=False))
        batch_op.add_column(sa.Column("etag", sa.String(length=40), nullable=False))
        batch_op.add_column(sa.Column("fallback", sa.Boolean(), nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM brief_cache")
    with op.batch_alter_table("brief_cache") as batch_op:
        batch_op.drop_column("fallback")
        batch_op.drop_column("etag")
        batch_op.drop_column("body")
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=False))
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("version")
