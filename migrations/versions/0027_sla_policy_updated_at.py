"""SLA policies carry the time of their last edit, so each process keeps its policies in memory and reads them
again only when one is added, removed or edited (the deadlines' table fingerprint includes it).

Revision ID: 0027
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds no column with a non-constant default: add it empty, fill it, then make it required.
    op.add_column("sla_policy", sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.execute(sa.text("UPDATE sla_policy SET updated_at = CURRENT_TIMESTAMP"))
    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at",
            existing_type=sa.DateTime(),
            nullable=False,
            server_default=sa.func.current_timestamp(),  # a later migration's rows need not name it
        )


def downgrade() -> None:
    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
