"""Reference rows an opening reads every time, kept in memory between transactions as plain values: the
programmes by code, checked against the "programmes" stamp (migration 0033: any write of the programme table
moves it, in the writing transaction), and the villages' levels."""

from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.domain.registry import Programme
from webapp.domain.sla import PROGRAMMES_STAMP
from webapp.services.platform.kept_rows import KeptRows

_PROGRAMMES = KeptRows(Programme, PROGRAMMES_STAMP)
# An area's level by code, with no stamp: nothing writes the area table while Sala runs (the gazetteer import
# fills it once, when a database is set up, and only when it is empty). Only areas found are kept.
_AREA_LEVELS: dict[str, str] = {}


def programme_by_code(session: Session, code: str) -> Programme | None:
    """The programme `code` as a row of `session`, with no query while the "programmes" stamp holds."""
    return _PROGRAMMES.get(session, code)


def area_level(session: Session, code: str) -> str | None:
    """The level of area `code` (None: the gazetteer has no such area), read once per process."""
    level = _AREA_LEVELS.get(code)
    if level is None:
        area = session.get(Area, code)
        if area is None:
            return None
        level = _AREA_LEVELS[code] = area.level
    return level
