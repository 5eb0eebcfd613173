"""Cases of a district newest first: an index on the district part of the area code, then creation, so
a district supervisor's case list reads its first page in order instead of filtering the whole table's
creation index (the case list adds the matching condition for a district's reader). Each completed step
keeps its working seconds (set at completion), so the SLA report reads them instead of computing them;
steps completed before have none and the report computes theirs when it reads them (a backfill would
walk the working calendar for every step in history).

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("working_seconds", sa.Integer(), nullable=True))
    op.create_index(
        "ix_case_file_district_created",
        "case_file",
        [sa.text("substr(area_code, 1, 4)"), "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_case_file_district_created", table_name="case_file")
    op.drop_column("task", "working_seconds")
