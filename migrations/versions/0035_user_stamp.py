"""One more stamp in reference_stamp, "users", moved by every insert, update or delete of app_user (a
password changed, a role or area changed, an account closed, every session ended), as 0034's is: the
signed-in officer's row is kept per process and checked against it, in the same one statement that reads the
other stamps, at the start of each request, so any change to an account is seen by its next request.

Revision ID: 0035
Revises: 0034
"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

WATCHED = {"app_user": "users"}
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
    """The triggers that move the stamp (again after a SQLite migration rebuilds the table)."""
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
