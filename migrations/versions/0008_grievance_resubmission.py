"""The application case a grievance's level 1 opened again (resubmission)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grievance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resubmitted_case_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_grievance_resubmitted_case_id_case_file"), "case_file", ["resubmitted_case_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("grievance", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_grievance_resubmitted_case_id_case_file"), type_="foreignkey")
        batch_op.drop_column("resubmitted_case_id")
