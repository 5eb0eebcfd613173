"""The SLA report of a month without the case table: each task row carries its case's process (backfilled
from the case here, set when the task opens), and the completed steps are indexed by completion time with
what the report reads included, so PostgreSQL counts a month of the nation from the index alone. The
plain completion index of 0010 is replaced (the new one has the same key).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

COMPLETED = sa.text("status = 'completed'")
REPORT_COLUMNS = [  # domain.tasks.REPORT_COLUMNS as it stood at this revision
    "process_id",
    "name",
    "area_code",
    "due_at",
    "case_id",
    "created_at",
    "sla_calendar",
    "working_seconds",
]


def upgrade() -> None:
    op.add_column("task", sa.Column("process_id", sa.String(80), nullable=False, server_default=""))
    op.execute(
        "UPDATE task SET process_id = "
        "(SELECT case_file.process_id FROM case_file WHERE case_file.id = task.case_id)"
    )
    op.drop_index("ix_task_completed", table_name="task")
    op.create_index(
        "ix_task_completed_report",
        "task",
        ["completed_at"],
        postgresql_include=REPORT_COLUMNS,
        postgresql_where=COMPLETED,
        sqlite_where=COMPLETED,
    )


def downgrade() -> None:
    op.drop_index("ix_task_completed_report", table_name="task")
    op.create_index(
        "ix_task_completed", "task", ["completed_at"], postgresql_where=COMPLETED, sqlite_where=COMPLETED
    )
    op.drop_column("task", "process_id")
