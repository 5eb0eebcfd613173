"""Reference numbers such as APP-1701-2026-00042: numbered per kind, district and year, without gaps."""

from typing import cast

from sqlalchemy import Insert, Table, Update, bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter


def next_reference(session: Session, *, prefix: str, district_code: str, year: int) -> str:
    """The next number of its scope; the counter row's update serialises concurrent requests."""
    reference, _no_id = next_case_reference(
        session, prefix=prefix, district_code=district_code, year=year, new_id=False
    )
    return reference


def next_case_reference(
    session: Session, *, prefix: str, district_code: str, year: int, new_id: bool = True
) -> tuple[str, int | None]:
    """The next reference of its scope and, on PostgreSQL with `new_id`, the id of the new case's row drawn
    by the same statement (so the row need not be written before rows that name it)."""
    scope = f"{prefix}-{district_code}-{year}"
    with_id = new_id and session.get_bind().dialect.name == "postgresql"
    numbered = _increment_drawing_id(session, scope, with_id)
    if numbered is None:
        # The scope's first number: create its counter unless a concurrent request has just done so (the
        # insert then waits for that request and does nothing), and count on it like everyone else.
        session.execute(_create_counter(session, scope))
        numbered = _increment_drawing_id(session, scope, with_id)
    assert numbered is not None
    number, case_id = numbered
    return f"{scope}-{number:05d}", case_id


def _increment_drawing_id(session: Session, scope: str, with_id: bool) -> tuple[int, int | None] | None:
    if not with_id:
        number = increment_counter(session, scope)
        return None if number is None else (number, None)
    row = session.execute(_INCREMENT_WITH_CASE_ID, {"counter_scope": scope}).first()
    return None if row is None else (row[0], row[1])


def increment_counter(session: Session, scope: str) -> int | None:
    """The scope's counter moved on by one (the row stays locked to the end of the transaction), or None
    when the scope has no counter yet."""
    number: int | None = session.execute(_INCREMENT, {"counter_scope": scope}).scalar()
    return number


def _increment_statement() -> Update:
    """Built once, on the bare table: an ORM update is built and evaluated anew each time, for one number."""
    table = cast(Table, ReferenceCounter.__table__)
    return (
        update(table)
        .where(table.c.scope == bindparam("counter_scope"))
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    )


_INCREMENT = _increment_statement()
_INCREMENT_WITH_CASE_ID = _INCREMENT.returning(func.nextval(func.pg_get_serial_sequence("case_file", "id")))


def _create_counter(session: Session, scope: str) -> Insert:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(ReferenceCounter).values(scope=scope, last=0).on_conflict_do_nothing()
