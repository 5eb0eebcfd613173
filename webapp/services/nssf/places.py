"""Where NSSF's enterprises and members are, as its letters and pages print it: the full path from the
gazetteer (village, commune, district, province), never the commune alone."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.letters import Place

LEVEL_LENGTHS = (8, 6, 4, 2)  # smallest area first


def full_address(session: Session, code: str) -> list[Place]:
    """An area with every area above it, smallest first: village, commune, district, province."""
    return addresses(session, [code]).get(code, [])


def addresses(session: Session, codes: Iterable[str]) -> dict[str, list[Place]]:
    """Each code's full address, read in one query for a whole page of enterprises or members."""
    wanted = set(codes)
    paths = {code: [code[:n] for n in LEVEL_LENGTHS if len(code) >= n] for code in wanted}
    needed = {part for path in paths.values() for part in path}
    found = {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(needed)))}
    return {code: [Place.of(found[part]) for part in path if part in found] for code, path in paths.items()}
