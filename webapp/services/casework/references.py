"""Reference numbers such as APP-1701-2026-00042: numbered per kind, district and year, without gaps."""

from sqlalchemy import update
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter


def next_reference(session: Session, *, prefix: str, district_code: str, year: int) -> str:
    """The next number of its scope; the counter row's update serialises concurrent requests."""
    scope = f"{prefix}-{district_code}-{year}"
    number = session.scalar(
        update(ReferenceCounter)
        .where(ReferenceCounter.scope == scope)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    )
    if number is None:
        session.add(ReferenceCounter(scope=scope, last=1))
        session.flush()
        number = 1
    return f"{scope}-{number:05d}"
