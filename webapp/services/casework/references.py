"""Reference numbers such as APP-1701-2026-00042: numbered per kind, district and year, without gaps."""

from typing import cast

from sqlalchemy import Insert, Table, Update, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter


def next_reference(session: Session, *, prefix: str, district_code: str, year: int) -> str:
    """The next number of its scope; the counter row's update serialises concurrent requests."""
    scope = f"{prefix}-{district_code}-{year}"
    number = increment_counter(session, scope)
    if number is None:
        # The scope's first number: create its counter unless a concurrent request has just done so (the
        # insert then waits for that request and does nothing), and count on it like everyone else.
        session.execute(_create_counter(session, scope))
        number = increment_counter(session, scope)
    return f"{scope}-{number:05d}"


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


def _create_counter(session: Session, scope: str) -> Insert:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(ReferenceCounter).values(scope=scope, last=0).on_conflict_do_nothing()
