"""Cached reads: accounts.version; briefs cached as the bytes the API sends; the queue
summary's numbers as plain columns of account_scores

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0005"
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


    with op.batch_alter_table("account_scores") as batch_op:
        batch_op.add_column(sa.Column("fp", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mass", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("ref", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("n", sa.Integer(), nullable=True))
    _copy_summaries()


def _copy_summaries() -> None:
    """Fill the new columns from each row's summary (rows without one stay stale and are
    recomputed on their next read, as before)."""
    scores = sa.table(
        "account_scores",
        sa.column("id", sa.Integer()),
        sa.column("summary", sa.JSON()),
        sa.column("fp", sa.String()),
        sa.column("mass", sa.Float()),
        sa.column("ref", sa.BigInteger()),
        sa.column("n", sa.Integer()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(scores.c.id, scores.c.summary)).all()
    updates = [
        {"row_id": row_id, **{k: summary[k] for k in ("fp", "mass", "ref", "n")}}
        for row_id, summary in rows
        if summary
    ]
    if updates:
        connection.execute(
            scores.update()
            .where(scores.c.id == sa.bindparam("row_id"))
            .values(
                fp=sa.bindparam("fp"),
                mass=sa.bindparam("mass"),
                ref=sa.bindparam("ref"),
                n=sa.bindparam("n"),
            ),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("account_scores") as batch_op:
        for name in ("n", "ref", "mass", "fp"):
            batch_op.drop_column(name)
    op.execute("DELETE FROM brief_cache")
    with op.batch_alter_table("brief_cache") as batch_op:
        batch_op.drop_column("fallback")
        batch_op.drop_column("etag")
        batch_op.drop_column("body")
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=False))
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("version")
