"""A stamp per kind of reference table the deadlines keep in memory, moved by database triggers: a transaction
reads two counters by their primary key instead of counting and summing four tables to know whether its
process's calendars and SLA policies still hold.

"calendars" moves with every insert, update or delete of work_calendar, calendar_exception and area_calendar;
"policies" with every one of sla_policy, inside the writing transaction, so that transaction reads its own
new value. The new value is one the row never held before (a PostgreSQL sequence, which a rollback does not
take back; a random 64-bit number on SQLite, which has no sequences): a value read inside a rolled-back edit
never comes back with other contents. Each database starts its counters at a random value, so a process
that talks to several databases (tests, benches) never finds one database's stamp in another.

PostgreSQL: statement-level triggers (a bulk statement moves the stamp once) calling one function; SQLite:
row triggers (it has no statement triggers). A later SQLite migration that rebuilds one of these tables
(batch_alter_table) drops its triggers and must create them again (trigger_statements here).

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

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
EDITS = ("insert", "update", "delete")
SEQUENCE = "reference_stamp_counter"
FUNCTION = "bump_reference_stamp"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_reference_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_stamp SET counter = nextval('reference_stamp_counter') WHERE name = TG_ARGV[0];
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
    stamps = sa.table("reference_stamp", sa.column("name", sa.String), sa.column("counter", sa.BigInteger))
    op.bulk_insert(stamps, [{"name": name, "counter": 0} for name in sorted(set(WATCHED.values()))])
    create_triggers(op.get_bind())
    _start_at_random(op.get_bind())


def create_triggers(connection: sa.Connection) -> None:
    """The triggers that move the stamps, for the connection's database (again after a table is rebuilt)."""
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(sa.text(statement))


def _start_at_random(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("SELECT setval('reference_stamp_counter', 1 + floor(random() * 4e18)::bigint)")
        )
        connection.execute(sa.text("UPDATE reference_stamp SET counter = nextval('reference_stamp_counter')"))
    else:
        connection.execute(sa.text("UPDATE reference_stamp SET counter = random()"))


def trigger_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        statements = [f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}", _PG_FUNCTION]
        for table, stamp in WATCHED.items():
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_moves_stamp ON {table}",
                f"CREATE TRIGGER {table}_moves_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{stamp}')",
            ]
        return statements
    statements = []
    for table, stamp in WATCHED.items():
        for edit in EDITS:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_{edit}_moves_stamp",
                _sqlite_trigger(table, edit, stamp),
            ]
    return statements


def _sqlite_trigger(table: str, edit: str, stamp: str) -> str:
    move = f"UPDATE reference_stamp SET counter = random() WHERE name = '{stamp}'"  # noqa: S608 (constants)
    return f"CREATE TRIGGER {table}_{edit}_moves_stamp AFTER {edit.upper()} ON {table} BEGIN {move}; END"


def downgrade() -> None:
    connection = op.get_bind()
    for table in WATCHED:
        if connection.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_moves_stamp ON {table}")
        else:
            for edit in EDITS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{edit}_moves_stamp")
    if connection.dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_table("reference_stamp")
