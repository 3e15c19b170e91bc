"""Random samples of a data set's sentences, shared by every reviewer of the store.

A new ``samples`` table: each row is one draw (seed, the sentence ids and
their text hashes); the newest row of a data set and language is its sample.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "samples",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("dataset_name", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(32), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("sentence_ids", sa.JSON(), nullable=False),
        sa.Column("text_hashes", sa.JSON(), nullable=False),
        sa.Column("drawn_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_samples_dataset", "samples", ["dataset", "lang", "id"])
    op.create_index("ix_samples_name", "samples", ["dataset_name"])


def downgrade() -> None:
    op.drop_index("ix_samples_name", table_name="samples")
    op.drop_index("ix_samples_dataset", table_name="samples")
    op.drop_table("samples")
