"""Each case keeps whether its clocks are paused (its last pause or resume event was a pause), so a step of
the case does not read its events back to know it; backfilled here from the events.

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "case_file", sa.Column("clock_paused", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    backfill(op.get_bind())


def backfill(connection: sa.Connection) -> None:
    """Paused: the case's last clock_paused or clock_resumed event (by time, then id) is a pause."""
    meta = sa.MetaData()
    case_file = sa.Table(
        "case_file", meta, sa.Column("id", sa.Integer), sa.Column("clock_paused", sa.Boolean)
    )
    event = sa.Table(
        "case_event",
        meta,
        sa.Column("id", sa.Integer),
        sa.Column("case_id", sa.Integer),
        sa.Column("kind", sa.String),
        sa.Column("at", sa.DateTime),
    )
    last = (
        sa.select(event.c.kind)
        .where(event.c.case_id == case_file.c.id, event.c.kind.in_(("clock_paused", "clock_resumed")))
        .order_by(event.c.at.desc(), event.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    connection.execute(sa.update(case_file).where(last == "clock_paused").values(clock_paused=sa.true()))


def downgrade() -> None:
    op.drop_column("case_file", "clock_paused")
