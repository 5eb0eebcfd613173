"""Imports the NCDD administrative gazetteer (data/gazetteer/*.yml) into the area table, with its source."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel, GazetteerImport, contains, within

SOURCE = "NCDD gazetteer, as packaged by the open-source pumi project (MIT licence)"
VERSION = "pumi 3a5c2be, data refreshed 2025-10"
FILES = (
    ("provinces.yml", "provinces", AreaLevel.PROVINCE),
    ("districts.yml", "districts", AreaLevel.DISTRICT),
    ("communes.yml", "communes", AreaLevel.COMMUNE),
    ("villages.yml", "villages", AreaLevel.VILLAGE),
)
PARENT_LENGTH = {AreaLevel.PROVINCE: 0, AreaLevel.DISTRICT: 2, AreaLevel.COMMUNE: 4, AreaLevel.VILLAGE: 6}


def import_gazetteer(session: Session, directory: Path, *, provinces: Iterable[str] = ()) -> int:
    """Loads every area (or those of the given province codes) unless already loaded; returns rows added."""
    if session.scalar(select(func.count()).select_from(Area)):
        return 0
    wanted = tuple(provinces)
    rows = [row for row in _rows(directory) if not wanted or row["code"].startswith(wanted)]
    for level in (AreaLevel.PROVINCE, AreaLevel.DISTRICT, AreaLevel.COMMUNE, AreaLevel.VILLAGE):
        batch = [row for row in rows if row["level"] == level]
        if batch:
            session.execute(insert(Area), batch)
    session.add(GazetteerImport(source=SOURCE, version=VERSION, areas=len(rows)))
    session.flush()
    return len(rows)


def _rows(directory: Path) -> Iterator[dict[str, Any]]:
    for filename, key, level in FILES:
        with (directory / filename).open(encoding="utf-8") as handle:
            entries = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))[key]  # noqa: S506
        for code, entry in entries.items():
            unit = entry.get("administrative_unit", {})
            yield {
                "code": code,
                "level": level.value,
                "parent_code": code[: PARENT_LENGTH[level]] or None,
                "name_km": entry["name"]["km"],
                "name_latin": entry["name"]["latin"],
                "unit_km": unit.get("km", ""),
                "unit_en": unit.get("en", level.value.title()),
            }


SEARCH_LIMIT = 20


def search_areas(
    session: Session, *, scope_code: str, text: str, levels: Iterable[AreaLevel], limit: int = SEARCH_LIMIT
) -> list[Area]:
    """Areas inside `scope_code` whose code starts with `text`, or whose Khmer or Latin name contains it.

    A type-ahead reads a few at a time, so an area picker never needs the whole gazetteer in one page."""
    text = text.strip()[:60]
    wanted = [level.value for level in levels]
    if not text or not wanted:
        return []
    if text.isdigit():
        matches = Area.code.startswith(text, autoescape=True)
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = or_(
            func.lower(Area.name_latin).like(f"%{escaped.lower()}%", escape="\\"),
            Area.name_km.like(f"%{escaped}%", escape="\\"),
        )
    query = (
        select(Area)
        .where(Area.level.in_(wanted), within(Area.code, scope_code), matches)
        .order_by(func.length(Area.code), Area.code)
        .limit(max(1, min(limit, 50)))
    )
    return list(session.scalars(query))


def parents_of(session: Session, areas: Iterable[Area]) -> dict[str, list[Area]]:
    """Each area's parents, smallest first (commune, district, province for a village), in one query: a
    picker names a place with the places above it, as two villages of one name are told apart."""
    paths = {area.code: [area.code[:n] for n in (6, 4, 2) if len(area.code) > n] for area in areas}
    wanted = {code for path in paths.values() for code in path}
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(wanted)))} if wanted else {}
    return {code: [found[part] for part in path if part in found] for code, path in paths.items()}


def area_in(session: Session, *, code: str, scope_code: str, levels: Iterable[AreaLevel]) -> Area | None:
    """The area `code` if it lies in `scope_code` at one of `levels`: how a picker's choice is checked."""
    area = session.get(Area, code.strip()[:8]) if code.strip().isdigit() else None
    if area is None or area.level not in {level.value for level in levels} or not contains(scope_code, code):
        return None
    return area
