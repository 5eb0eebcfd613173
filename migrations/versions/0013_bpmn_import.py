"""A draft may start without a published version: a process imported from another modeller is new to Sala

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workflow_draft", schema=None) as batch_op:
        batch_op.alter_column("parent_version_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Drafts of processes that were never published have nothing to point to: they go, their audit stays.
    op.execute(
        "UPDATE workflow_event SET draft_id = NULL"
        " WHERE draft_id IN (SELECT id FROM workflow_draft WHERE parent_version_id IS NULL)"
    )
    op.execute("DELETE FROM workflow_draft WHERE parent_version_id IS NULL")
    with op.batch_alter_table("workflow_draft", schema=None) as batch_op:
        batch_op.alter_column("parent_version_id", existing_type=sa.Integer(), nullable=False)
