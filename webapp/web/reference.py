"""Reference data the pages show on every request (the gazetteer's communes and villages, the programme
catalogue), kept per process: only `flask migrate` changes them, so each process reads them at most once per
REFERENCE_SECONDS instead of on every list page and task form."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from webapp.domain.people import User
from webapp.services.casework.queries import area_path, programmes, villages_for

REFERENCE_SECONDS = 300.0
Rows = tuple[tuple[str, ...], ...]
_KEPT: dict[tuple[str, str], tuple[float, Rows]] = {}  # key -> (until, rows)


def reference_rows(
    key: tuple[str, str], load: Callable[[], Sequence[tuple[str, ...]]], seconds: float = REFERENCE_SECONDS
) -> Rows:
    """Reference data under `key`, read by `load` at most once per `seconds` in this process."""
    now = time.monotonic()
    kept = _KEPT.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    rows = tuple(load())
    if len(_KEPT) >= 1000:  # an entry per area that officers work in: a bound never reached in practice
        _KEPT.clear()
    _KEPT[key] = (now + seconds, rows)
    return rows


def programme_rows(session: Session) -> Rows:
    """(code, English name) of the active programmes, in the catalogue's order."""
    return reference_rows(("programmes", ""), lambda: [(p.code, p.name) for p in programmes(session)])


def village_rows(session: Session, user: User) -> Rows:
    """(code, Khmer name, Latin name) of the villages the officer may choose, by code."""
    return reference_rows(
        ("villages", user.scope_code),
        lambda: [(v.code, v.name_km, v.name_latin) for v in villages_for(session, user=user)],
    )


@dataclass(frozen=True)
class KeptArea:
    """An area of the gazetteer as a page names it."""

    code: str
    name_km: str
    name_latin: str

    def name(self, locale: str) -> str:
        return self.name_km if locale == "km" else self.name_latin


def area_names(session: Session, code: str) -> list[KeptArea]:
    """The area and its parents, province first ("Prasat, Char Chhuk, Angkor Chum" reversed), kept per
    process with the rest of the gazetteer rather than read on every case page."""
    rows = reference_rows(
        ("area path", code), lambda: [(a.code, a.name_km, a.name_latin) for a in area_path(session, code)]
    )
    return [KeptArea(*row) for row in rows]
