"""The monthly grievance report of the SSDM per commune, district or province, for the CWCC and TCC.

Counted in SQL over the month's grievances only (by time of receipt, and of decision for the working days),
so its cost follows one month of the reader's area, not the whole history.
"""

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel, within
from webapp.domain.clock import month_bounds
from webapp.domain.grievances import CATEGORIES, CHANNELS, Grievance
from webapp.domain.people import User
from webapp.domain.text import SafeCsvWriter
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.working_clock import WorkingClock

# Working days within which a level decides (DOMAIN.md section 5, Sala's defaults).
LEVEL_TARGET_DAYS = {1: 15, 2: 30}
GROUP_LEVELS = (AreaLevel.COMMUNE, AreaLevel.DISTRICT, AreaLevel.PROVINCE)
REGULATOR_CATEGORY = "social_security"  # NSSF complaints are the regulator's report, not the SSDM's


@dataclass
class AreaRow:
    area_code: str
    area_name: str
    received: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    resolved_level_1: int = 0
    resolved_level_2: int = 0
    pending: int = 0
    escalated_by_breach: int = 0
    within_sla: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


def monthly_report(
    session: Session, *, user: User, month: date, level: AreaLevel = AreaLevel.DISTRICT
) -> list[AreaRow]:
    """Grievances of the user's area received or resolved in `month`, grouped by area at `level`."""
    start, end = month_bounds(month.year, month.month)  # Cambodia's month, as naive UTC instants
    code = func.substr(Grievance.area_code, 1, CODE_LENGTH[level]).label("code")
    scoped = (Grievance.category != REGULATOR_CATEGORY, within(Grievance.area_code, user.scope_code))
    rows: dict[str, AreaRow] = {}
    for area, channel, category, count, escalated, pending in session.execute(
        select(
            code,
            Grievance.channel,
            Grievance.category,
            func.count(),
            _count_of(Grievance.escalated_by_breach.is_(True)),
            _count_of(or_(Grievance.resolved_at.is_(None), Grievance.resolved_at >= end)),
        )
        .where(*scoped, Grievance.received_at >= start, Grievance.received_at < end)
        .group_by(code, Grievance.channel, Grievance.category)
    ):
        row = rows.setdefault(area, AreaRow(area, area))
        row.received += count
        row.by_channel[channel] += count
        row.by_category[category] += count
        row.escalated_by_breach += escalated
        row.pending += pending
    clock = WorkingClock(load_calendars(session)["government"])
    for area, received_at, resolved_at, decided_level in session.execute(
        select(code, Grievance.received_at, Grievance.resolved_at, Grievance.decided_level).where(
            *scoped, Grievance.resolved_at >= start, Grievance.resolved_at < end
        )
    ):
        _count_decided(
            rows.setdefault(area, AreaRow(area, area)), clock, received_at, resolved_at, decided_level
        )
    _name_rows(session, rows)
    return [rows[area] for area in sorted(rows)]


def _count_of(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def _count_decided(
    row: AreaRow, clock: WorkingClock, received: datetime, resolved: datetime, decided_level: int | None
) -> None:
    level = decided_level or 1
    row.resolved_level_1 += int(level == 1)
    row.resolved_level_2 += int(level == 2)
    days = clock.days_between(received, resolved)
    row.days.append(days)
    row.within_sla += int(days <= sum(LEVEL_TARGET_DAYS[n] for n in range(1, level + 1)))


def _name_rows(session: Session, rows: dict[str, AreaRow]) -> None:
    """Every row's area name in one query; a code missing from the gazetteer keeps the code as its name."""
    names = dict(session.execute(select(Area.code, Area.name_latin).where(Area.code.in_(list(rows)))).all())
    for area, row in rows.items():
        row.area_name = names.get(area, area)


def report_csv(rows: list[AreaRow]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    header = ["area_code", "area", "received", *(f"channel_{c}" for c in CHANNELS)]
    header += [f"category_{c}" for c in CATEGORIES]
    header += ["resolved_level_1", "resolved_level_2", "pending", "escalated_by_breach", "within_sla"]
    writer.writerow([*header, "median_working_days"])
    for row in rows:
        writer.writerow(
            [row.area_code, row.area_name, row.received]
            + [row.by_channel[c] for c in CHANNELS]
            + [row.by_category[c] for c in CATEGORIES]
            + [
                row.resolved_level_1,
                row.resolved_level_2,
                row.pending,
                row.escalated_by_breach,
                row.within_sla,
            ]
            + ["" if row.median_days is None else row.median_days]
        )
    return out.getvalue()
