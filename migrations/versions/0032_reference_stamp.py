"""A stamp per kind of reference table the deadlines keep in memory, moved by database triggers: a transaction
reads two counters by their primary key instead of counting and summing four tables to know whether its
process's calendars and SLA policies still hold.

"calendars" moves with every insert, update or delete of work_calendar, calendar_exception and area_calendar;
"policies" with every one of sla_policy, inside the writing transaction, so that transaction reads its own
new value. The new value is one the row never held before (a PostgreSQL sequence, which a rollback does not
take back; a random 64-bit number on SQLite, which has no sequences): a value read inside a rolled-back edit
never comes back with other contents. Each database starts its counters at a random value, so a process
that talks to several databases (tests, benches) never finds one database's stamp in another.

The triggers are written by `webapp.services.platform.stamp_triggers` (PostgreSQL: statement triggers calling
one function; SQLite: row triggers); a later SQLite migration that rebuilds one of these tables
(batch_alter_table) drops its triggers and must create them again with its `create_triggers`.

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

from webapp.services.platform.stamp_triggers import FUNCTION, SEQUENCE, add_stamps, remove_stamps

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

WATCHED = {
    "work_calendar": "calendars",
    "calendar_exception": "calendars",
    "area_calendar": "calendars",
    "sla_policy": "policies",
}

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_stamp SET counter = nextval('{SEQUENCE}') WHERE name = TG_ARGV[0];
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "reference_stamp",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_stamp")),
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        op.execute(f"SELECT setval('{SEQUENCE}', 1 + floor(random() * 4e18)::bigint)")
        op.execute(_PG_FUNCTION)
    add_stamps(connection, WATCHED)


def downgrade() -> None:
    connection = op.get_bind()
    remove_stamps(connection, WATCHED)
    if connection.dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_table("reference_stamp")
