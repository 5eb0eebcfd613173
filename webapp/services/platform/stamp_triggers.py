"""The database side of the reference stamps (`platform.reference_stamp`): the triggers that move a stamp's
counter with every write of the tables it watches, for the migrations that add stamps and for a later SQLite
migration that rebuilds a watched table (batch_alter_table drops its triggers: run `create_triggers` again).

PostgreSQL: one statement-level trigger per table (a bulk statement moves the stamp once) calling
`bump_reference_stamp`, which takes the next value of the `reference_stamp_counter` sequence (a rollback does
not take it back). SQLite: row triggers (it has no statement triggers) setting a random 64-bit value. Either
way a stamp never holds a value twice, so a value read inside a rolled-back edit never returns."""

from collections.abc import Mapping

import sqlalchemy as sa

Watched = Mapping[str, str]  # table -> the stamp its writes move
SEQUENCE = "reference_stamp_counter"
FUNCTION = "bump_reference_stamp"
_EDITS = ("insert", "update", "delete")
_STAMPS = sa.table("reference_stamp", sa.column("name", sa.String), sa.column("counter", sa.BigInteger))


def add_stamps(connection: sa.Connection, watched: Watched) -> None:
    """The stamps' rows, at a random value (a process that talks to several databases never finds one
    database's stamp in another), and the triggers that move them."""
    names = sorted(set(watched.values()))
    connection.execute(sa.insert(_STAMPS), [{"name": name, "counter": 0} for name in names])
    create_triggers(connection, watched)
    start = f"nextval('{SEQUENCE}')" if connection.dialect.name == "postgresql" else "random()"
    connection.execute(
        sa.update(_STAMPS).where(_STAMPS.c.name.in_(names)).values(counter=sa.literal_column(start))
    )


def remove_stamps(connection: sa.Connection, watched: Watched) -> None:
    for table in watched:
        for name in _trigger_names(connection.dialect.name, table):
            on = f" ON {table}" if connection.dialect.name == "postgresql" else ""
            connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}{on}"))
    connection.execute(sa.delete(_STAMPS).where(_STAMPS.c.name.in_(sorted(set(watched.values())))))


def create_triggers(connection: sa.Connection, watched: Watched) -> None:
    for table, stamp in watched.items():
        for statement in _trigger_statements(connection.dialect.name, table, stamp):
            connection.execute(sa.text(statement))


def _trigger_names(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"{table}_moves_stamp"]
    return [f"{table}_{edit}_moves_stamp" for edit in _EDITS]


def _trigger_statements(dialect: str, table: str, stamp: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_moves_stamp ON {table}",
            f"CREATE TRIGGER {table}_moves_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{stamp}')",
        ]
    move = f"UPDATE reference_stamp SET counter = random() WHERE name = '{stamp}'"  # noqa: S608 (constants)
    statements = []
    for edit in _EDITS:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_{edit}_moves_stamp",
            f"CREATE TRIGGER {table}_{edit}_moves_stamp AFTER {edit.upper()} ON {table} BEGIN {move}; END",
        ]
    return statements
