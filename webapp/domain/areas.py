"""Administrative areas of Cambodia (province, district, commune, village) and the import that loaded them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, ForeignKey, Integer, String, and_, true
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column

from webapp.domain.base import Base, utcnow


class AreaLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    VILLAGE = "village"
    NATIONAL = "national"


CODE_LENGTH = {AreaLevel.PROVINCE: 2, AreaLevel.DISTRICT: 4, AreaLevel.COMMUNE: 6, AreaLevel.VILLAGE: 8}
NATIONAL_CODE = ""


class Area(Base):
    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), index=True)
    name_km: Mapped[str] = mapped_column(String(120))
    name_latin: Mapped[str] = mapped_column(String(120))
    unit_km: Mapped[str] = mapped_column(String(40))
    unit_en: Mapped[str] = mapped_column(String(40))

    def name(self, locale: str) -> str:
        return self.name_km if locale == "km" else self.name_latin


class GazetteerImport(Base):
    __tablename__ = "gazetteer_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(80))
    areas: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


def cut_to_level(code: str, level: AreaLevel) -> str:
    """The code of the area at `level` that contains `code` (a village code cut to its commune, say)."""
    if level == AreaLevel.NATIONAL:
        return NATIONAL_CODE
    return code[: CODE_LENGTH[level]]


def contains(outer_code: str, inner_code: str) -> bool:
    """Whether the area `outer_code` contains (or is) the area `inner_code`; the nation contains all."""
    return inner_code.startswith(outer_code)


def within(column: ColumnElement[str] | QueryableAttribute[str], scope_code: str) -> ColumnElement[bool]:
    """The jurisdiction rule in SQL, the twin of `contains`: `column` holds an area code inside `scope_code`.

    Every query, export, report and download that is cut to a reader's area goes through here, so the rule
    and the index that serves it change in one place. Area codes are digits, so "starts with 1701" is the
    range ["1701", "1702"): a plain btree serves it in any collation (every collation orders digit strings
    as bytes do), where a prefix LIKE needs the C collation or a pattern_ops index.
    """
    if not scope_code:
        return true()
    upper = next_prefix(scope_code)
    if upper is None:  # not a digit code: the plain prefix match, unindexed but right
        return column.startswith(scope_code, autoescape=True)
    if not upper:  # "9", "99"...: nothing sorts after the range among digit codes
        return column >= scope_code
    return and_(column >= scope_code, column < upper)


def next_prefix(code: str) -> str | None:
    """The smallest digit string above every code that starts with `code` ("1709" -> "171", "9" -> "").

    None when `code` is not made of ASCII digits only.
    """
    if not (code.isascii() and code.isdigit()):
        return None
    stem = code.rstrip("9")
    if not stem:
        return ""
    return stem[:-1] + str(int(stem[-1]) + 1)
