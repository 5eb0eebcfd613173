"""Inserting thousands of rows at once on either database.

SQLite's driver runs an executemany as one prepared statement in C: fast as it is. PostgreSQL's driver
(psycopg 3) would send an executemany row by row through its pipeline, and a multi-row VALUES statement of
thousands of parameters costs more to build than to run: there the rows are streamed with COPY, in the
session's transaction, and new ids are taken from the table's sequence in one statement beforehand."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

Row = Mapping[str, Any]


def insert_rows(session: Session, model: Any, rows: Sequence[Row]) -> None:
    """`rows` (dicts keyed by `model`'s attribute names) inserted into its table. A key left out of a row
    takes the column's default as an ORM insert would give it (NULL when it has none)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, model.__table__, rows)
    elif all(row.keys() == rows[0].keys() for row in rows):
        session.execute(insert(model.__table__), list(rows))  # the driver's loop, no ORM bookkeeping per row
    else:
        session.execute(insert(model), list(rows))  # the ORM groups the rows by the keys they give


def insert_rows_with_ids(session: Session, model: Any, rows: Sequence[Row]) -> list[int]:
    """`insert_rows` for a table with a serial `id`: the new ids, in the order of `rows`."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(session.scalars(statement, list(rows)).all())
    table: Table = model.__table__
    ids = list(
        session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)},
        )
    )
    _copy(session, table, [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)])
    return ids


def _copy(session: Session, table: Table, rows: Sequence[Row]) -> None:
    keys = list(dict.fromkeys(key for row in rows for key in row))
    defaults = _defaults(table)
    fixed = {key: value for key, value in defaults.items() if key not in keys}
    names = [table.columns[key].name for key in [*keys, *fixed]]
    quote = session.get_bind().dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    session.flush()  # what the ORM holds goes first: the rows may refer to it
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([*(row.get(key, defaults.get(key)) for key in keys), *fixed.values()])


def _defaults(table: Table) -> dict[str, Any]:
    """The Python-side default of each column that has one (a callable is called once for the batch)."""
    found = {}
    for column in table.columns:
        default = column.default
        if default is not None and default.is_callable:
            found[column.key] = default.arg(None)  # type: ignore[attr-defined]
        elif default is not None and default.is_scalar:
            found[column.key] = default.arg  # type: ignore[attr-defined]
    return found
