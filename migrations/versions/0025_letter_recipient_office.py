"""A letter keeps whom it was addressed to and the office named by its family's letterhead: a correction of
a letter to an enterprise goes to the same enterprise, and the public letter check names the issuing office.

Revision ID: 0025
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_km", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("recipient_latin", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("office_name", sa.String(120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("office_name")
        batch_op.drop_column("recipient_latin")
        batch_op.drop_column("recipient_km")
