"""The SSDM monitoring report without counting all history: each application case keeps its processing time
in working days (set when it closes; backfilled here on the government calendar), indexed with the closing
time for the report's medians and decisions of a period (read from the index alone); `monitoring_total`
keeps the registered population and each programme's enrolment (a person's first approval in it) by area
at every level and by Cambodian month, backfilled here from the people and cases.

Revision ID: 0030
Revises: 0021
"""

import json
from datetime import date, datetime, time

import sqlalchemy as sa
from alembic import op

from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.services.deadlines.working_clock import WorkingClock
from webapp.sla import WorkingCalendar, build_calendar
from webapp.sla.calendar import standard_calendars

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None
BATCH = 10_000  # cases timed per round trip
CLOSED_APPLICATION = sa.text("status = 'closed' AND programme_code IS NOT NULL")
LEVEL_DIGITS = (2, 4, 6, 8)  # domain.monitoring.LEVEL_DIGITS


def upgrade() -> None:
    op.add_column("case_file", sa.Column("working_days", sa.Integer(), nullable=True))
    op.create_table(
        "monitoring_total",
        sa.Column("area_code", sa.String(length=8), nullable=False),
        sa.Column("programme_code", sa.String(length=40), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area_code", "programme_code", "month"),
    )
    op.create_index(
        "ix_monitoring_total_level", "monitoring_total", ["digits", "programme_code", "area_code", "month"]
    )
    backfill(op.get_bind())
    op.create_index(
        "ix_case_file_closed_application",
        "case_file",
        ["closed_at"],
        postgresql_include=["area_code", "working_days", "programme_code", "outcome", "created_at"],
        postgresql_where=CLOSED_APPLICATION,
        sqlite_where=CLOSED_APPLICATION,
    )


def downgrade() -> None:
    op.drop_index("ix_case_file_closed_application", table_name="case_file")
    op.drop_index("ix_monitoring_total_level", table_name="monitoring_total")
    op.drop_table("monitoring_total")
    op.drop_column("case_file", "working_days")


def backfill(connection: sa.Connection) -> None:
    """Working days of the closed applications not timed yet, and the totals counted afresh."""
    _working_days(connection)
    connection.execute(sa.text("DELETE FROM monitoring_total"))
    month = _month_sql(connection.dialect.name)  # constants of this module only, nothing from a user
    people = (
        "INSERT INTO monitoring_total (area_code, programme_code, month, digits, count) "  # noqa: S608
        f"SELECT substr(village_code, 1, :digits), '', {month.format('created_at')}, :digits, count(*) "
        "FROM person WHERE merged_into_id IS NULL AND length(village_code) >= :digits GROUP BY 1, 3"
    )
    enrolled = (
        "INSERT INTO monitoring_total (area_code, programme_code, month, digits, count) "  # noqa: S608
        f"SELECT substr(c.area_code, 1, :digits), c.programme_code, {month.format('c.closed_at')}, "
        f":digits, count(*) FROM case_file c WHERE {_FIRST_APPROVAL} "
        "AND length(c.area_code) >= :digits GROUP BY 1, 2, 3"
    )
    for digits in LEVEL_DIGITS:
        for statement in (people, enrolled):
            connection.execute(sa.text(statement), {"digits": digits})


_FIRST_APPROVAL = """c.outcome = 'approved' AND c.programme_code IS NOT NULL AND c.closed_at IS NOT NULL
    AND c.person_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM case_file o WHERE o.person_id = c.person_id AND o.programme_code = c.programme_code
        AND o.outcome = 'approved' AND o.closed_at IS NOT NULL
        AND (o.closed_at < c.closed_at OR (o.closed_at = c.closed_at AND o.id < c.id)))"""


def _month_sql(dialect: str) -> str:
    """The first day of the Cambodian (UTC+7, no summer time) month of a naive UTC column, as a date."""
    if dialect == "postgresql":
        return "CAST(date_trunc('month', {} + interval '7 hours') AS date)"
    return "strftime('%Y-%m-01', {}, '+7 hours')"


def _working_days(connection: sa.Connection) -> None:
    clock = WorkingClock(_government_calendar(connection))
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT id, created_at, closed_at FROM case_file WHERE id > :last AND status = 'closed' "
                "AND programme_code IS NOT NULL AND closed_at IS NOT NULL AND working_days IS NULL "
                "ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            return
        connection.execute(
            sa.text("UPDATE case_file SET working_days = :days WHERE id = :id"),
            [
                {"id": row.id, "days": clock.days_between(_naive(row.created_at), _naive(row.closed_at))}
                for row in rows
            ],
        )
        last = rows[-1].id


def _naive(value: datetime | str) -> datetime:
    """SQLite hands raw text columns back as ISO strings."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _government_calendar(connection: sa.Connection) -> WorkingCalendar:
    """The government calendar as stored (read with this revision's columns), else the standard one."""
    row = connection.execute(
        sa.text("SELECT id, timezone, weekly_json, public_holidays FROM work_calendar WHERE name = :name"),
        {"name": DEFAULT_CALENDAR},
    ).first()
    if row is None:
        return standard_calendars()[DEFAULT_CALENDAR]
    exceptions = connection.execute(
        sa.text("SELECT day, working, reason FROM calendar_exception WHERE calendar_id = :id"), {"id": row.id}
    ).all()
    weekly = {
        int(day): [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in periods]
        for day, periods in json.loads(row.weekly_json).items()
    }
    return build_calendar(
        DEFAULT_CALENDAR,
        weekly,
        timezone=row.timezone,
        public_holidays=bool(row.public_holidays),
        days_off={_day(e.day): e.reason for e in exceptions if not e.working},
        working_days={_day(e.day): e.reason for e in exceptions if e.working},
    )


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
