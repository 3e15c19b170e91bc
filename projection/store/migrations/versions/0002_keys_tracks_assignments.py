"""Data sets keyed by content, rows carrying their sentence's text hash, reviewer tracks, assignments.

Edits gain ``dataset_name``, ``text_hash``, ``track`` and ``layer``; review
marks gain ``dataset_name``, ``text_hash``, ``method`` and the approved
``spans``; a new ``assignments`` table lists which sentences each reviewer is
given. Rows already stored keep their data set name as both key and name
and have no text hash: they were made before data sets were keyed by their
content, so they are shown as orphans rather than applied to whatever text
now carries that name.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("edits") as batch:
        batch.add_column(sa.Column("dataset_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("text_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("track", sa.String(32), nullable=False, server_default="review"))
        batch.add_column(sa.Column("layer", sa.String(32), nullable=False, server_default="spans"))
        batch.create_index("ix_edits_name", ["dataset_name"])
    with op.batch_alter_table("review_marks") as batch:
        batch.add_column(sa.Column("dataset_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("text_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("method", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("spans", sa.JSON(), nullable=True))
        batch.create_index("ix_review_name", ["dataset_name"])
    op.execute("UPDATE edits SET dataset_name = dataset")
    op.execute("UPDATE review_marks SET dataset_name = dataset")
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("dataset_name", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(32), nullable=False),
        sa.Column("sentence_id", sa.String(200), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_assignments_dataset", "assignments", ["dataset", "lang", "reviewer", "id"])


def downgrade() -> None:
    op.drop_index("ix_assignments_dataset", table_name="assignments")
    op.drop_table("assignments")
    with op.batch_alter_table("review_marks") as batch:
        batch.drop_index("ix_review_name")
        for column in ("spans", "method", "text_hash", "dataset_name"):
            batch.drop_column(column)
    with op.batch_alter_table("edits") as batch:
        batch.drop_index("ix_edits_name")
        for column in ("layer", "track", "text_hash", "dataset_name"):
            batch.drop_column(column)
