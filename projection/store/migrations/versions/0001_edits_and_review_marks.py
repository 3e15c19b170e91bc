"""The store's first schema: append-only edits and review marks.

This is the schema that stores made before migrations existed have; such a
store is stamped at this revision when it is first opened.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("sentence_id", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(32), nullable=False),
        sa.Column("method", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("undoes", sa.Integer(), sa.ForeignKey("edits.id"), nullable=True),
    )
    op.create_index("ix_edits_sentence", "edits", ["dataset", "lang", "sentence_id", "id"])
    op.create_table(
        "review_marks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("sentence_id", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(32), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_review_sentence", "review_marks", ["dataset", "lang", "sentence_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_review_sentence", table_name="review_marks")
    op.drop_table("review_marks")
    op.drop_index("ix_edits_sentence", table_name="edits")
    op.drop_table("edits")
