"""Held uploads are dated (`held_file`), so that the worker deletes the bytes of a form never saved once its
token has run out.

Revision ID: 0029
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_file",
        sa.Column(
            "sha256",
            sa.String(64),
            sa.ForeignKey("document_blob.sha256", name="fk_held_file_sha256_document_blob"),
            nullable=False,
        ),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_held_file"),
    )
    op.create_index("ix_held_file_held_at", "held_file", ["held_at"])


def downgrade() -> None:
    op.drop_index("ix_held_file_held_at", table_name="held_file")
    op.drop_table("held_file")
