"""The monthly grievance report of the SSDM per commune, district or province, for the CWCC and TCC."""

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel, within
from webapp.domain.grievances import CATEGORIES, CHANNELS, Grievance
from webapp.domain.people import User
from webapp.domain.text import SafeCsvWriter
from webapp.services.deadlines.calendars import load_calendars
from webapp.sla import WorkingCalendar
from webapp.sla.working_time import working_days_between

# Working days within which a level decides (DOMAIN.md section 5, Sala's defaults).
LEVEL_TARGET_DAYS = {1: 15, 2: 30}
GROUP_LEVELS = (AreaLevel.COMMUNE, AreaLevel.DISTRICT, AreaLevel.PROVINCE)


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
    start = datetime(month.year, month.month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    query = select(Grievance).where(
        or_(Grievance.received_at.between(start, end), Grievance.resolved_at.between(start, end)),
        Grievance.category != "social_security",  # NSSF complaints are the regulator's report, not the SSDM's
    )
    query = query.where(within(Grievance.area_code, user.scope_code))
    calendar = load_calendars(session)["government"]
    rows: dict[str, AreaRow] = {}
    for grievance in session.scalars(query):
        code = grievance.area_code[: CODE_LENGTH[level]]
        row = rows.get(code) or rows.setdefault(code, AreaRow(code, _name(session, code)))
        _count(row, grievance, start, end, calendar)
    return [rows[code] for code in sorted(rows)]


def _count(
    row: AreaRow, grievance: Grievance, start: datetime, end: datetime, calendar: WorkingCalendar
) -> None:
    if start <= grievance.received_at < end:
        row.received += 1
        row.by_channel[grievance.channel] += 1
        row.by_category[grievance.category] += 1
    row.escalated_by_breach += int(grievance.escalated_by_breach and start <= grievance.received_at < end)
    resolved = grievance.resolved_at
    if resolved is None or resolved >= end:
        row.pending += int(grievance.received_at < end)
        return
    if resolved < start:
        return
    level = grievance.decided_level or 1
    row.resolved_level_1 += int(level == 1)
    row.resolved_level_2 += int(level == 2)
    days = working_days_between(calendar, grievance.received_at, resolved)
    row.days.append(days)
    row.within_sla += int(days <= sum(LEVEL_TARGET_DAYS[n] for n in range(1, level + 1)))


def _name(session: Session, code: str) -> str:
    area = session.get(Area, code)
    return area.name_latin if area else code


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
