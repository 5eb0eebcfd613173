"""Two more stamps in reference_stamp, moved by triggers as 0032's are: "programmes" with every insert, update
or delete of programme, "workflows" with every one of workflow_version (which versions exist, which are
published, their numbers: all that decides the version new cases start on). The opening of a case keeps the
programme rows and each process's latest published version in memory and checks them against these stamps,
read in the same one statement as the calendar and policy stamps.

The new values come from 0032's sequence (PostgreSQL) or random() (SQLite), never reused, and start at a
random value; the PostgreSQL triggers call 0032's function. The area table has no stamp: only the gazetteer
import writes it, once, into an empty table, when a database is set up.

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

WATCHED = {"programme": "programmes", "workflow_version": "workflows"}
EDITS = ("insert", "update", "delete")


def upgrade() -> None:
    connection = op.get_bind()
    stamps = sa.table("reference_stamp", sa.column("name", sa.String), sa.column("counter", sa.BigInteger))
    op.bulk_insert(stamps, [{"name": name, "counter": 0} for name in sorted(WATCHED.values())])
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(sa.text(statement))
    names = ", ".join(f"'{name}'" for name in sorted(WATCHED.values()))
    start = "nextval('reference_stamp_counter')" if connection.dialect.name == "postgresql" else "random()"
    connection.execute(sa.text(f"UPDATE reference_stamp SET counter = {start} WHERE name IN ({names})"))  # noqa: S608 (constants)


def trigger_statements(dialect: str) -> list[str]:
    """The triggers that move the two stamps (again after a SQLite migration rebuilds one of the tables)."""
    statements = []
    for table, stamp in WATCHED.items():
        if dialect == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_moves_stamp ON {table}",
                f"CREATE TRIGGER {table}_moves_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_stamp('{stamp}')",
            ]
            continue
        for edit in EDITS:
            move = f"UPDATE reference_stamp SET counter = random() WHERE name = '{stamp}'"  # noqa: S608 (constants)
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_{edit}_moves_stamp",
                f"CREATE TRIGGER {table}_{edit}_moves_stamp AFTER {edit.upper()} ON {table} "
                f"BEGIN {move}; END",
            ]
    return statements


def downgrade() -> None:
    connection = op.get_bind()
    for table in WATCHED:
        if connection.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_moves_stamp ON {table}")
        else:
            for edit in EDITS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{edit}_moves_stamp")
    names = ", ".join(f"'{name}'" for name in sorted(WATCHED.values()))
    op.execute(f"DELETE FROM reference_stamp WHERE name IN ({names})")  # noqa: S608 (constants)
