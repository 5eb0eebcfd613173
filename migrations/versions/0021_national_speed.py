"""Cases of a district newest first: an index on the district part of the area code, then creation, so
a district supervisor's case list reads its first page in order instead of filtering the whole table's
creation index (the case list adds the matching condition for a district's reader).

Revision ID: 0021
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_case_file_district_created",
        "case_file",
        [sa.text("substr(area_code, 1, 4)"), "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_case_file_district_created", table_name="case_file")
