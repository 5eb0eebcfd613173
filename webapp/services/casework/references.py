"""Reference numbers such as APP-1701-2026-00042: numbered per kind, district and year, without gaps."""

from sqlalchemy import Insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter


def next_reference(session: Session, *, prefix: str, district_code: str, year: int) -> str:
    """The next number of its scope; the counter row's update serialises concurrent requests."""
    scope = f"{prefix}-{district_code}-{year}"
    number = _increment(session, scope)
    if number is None:
        # The scope's first number: create its counter unless a concurrent request has just done so (the
        # insert then waits for that request and does nothing), and count on it like everyone else.
        session.execute(_create_counter(session, scope))
        number = _increment(session, scope)
    return f"{scope}-{number:05d}"


def _increment(session: Session, scope: str) -> int | None:
    return session.scalar(
        update(ReferenceCounter)
        .where(ReferenceCounter.scope == scope)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    )


def _create_counter(session: Session, scope: str) -> Insert:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(ReferenceCounter).values(scope=scope, last=0).on_conflict_do_nothing()
