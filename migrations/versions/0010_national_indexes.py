"""Indexes for a national volume: open work as partial indexes (inbox by role and area, by assignee, by
due time), completed steps by completion time and per case, cases by creation (the case list's pages) and
open cases per area, grievances by resolution time (the monthly report). Area scopes are digit ranges
(domain.areas.within), which the existing plain btrees on the area code columns serve in any collation.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")
COMPLETED = sa.text("status = 'completed'")


def _partial(where: sa.TextClause) -> dict[str, sa.TextClause]:
    return {"postgresql_where": where, "sqlite_where": where}


def upgrade() -> None:
    op.create_index("ix_task_open_role_area", "task", ["role", "area_code", "due_at"], **_partial(OPEN))
    op.create_index("ix_task_open_assignee", "task", ["assignee_id", "due_at"], **_partial(OPEN))
    op.create_index("ix_task_open_due", "task", ["due_at"], **_partial(OPEN))
    op.create_index("ix_task_completed", "task", ["completed_at"], **_partial(COMPLETED))
    op.create_index("ix_task_case_completed", "task", ["case_id", "completed_at"])
    op.create_index("ix_case_file_created", "case_file", ["created_at", "id"])
    op.create_index("ix_case_file_open_area", "case_file", ["area_code"], **_partial(OPEN))
    op.create_index("ix_grievance_resolved_at", "grievance", ["resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_grievance_resolved_at", table_name="grievance")
    op.drop_index("ix_case_file_open_area", table_name="case_file")
    op.drop_index("ix_case_file_created", table_name="case_file")
    op.drop_index("ix_task_case_completed", table_name="task")
    op.drop_index("ix_task_completed", table_name="task")
    op.drop_index("ix_task_open_due", table_name="task")
    op.drop_index("ix_task_open_assignee", table_name="task")
    op.drop_index("ix_task_open_role_area", table_name="task")
