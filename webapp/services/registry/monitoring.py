"""The SSDM monitoring report (the district planning officer's monthly report, the province's semester and
annual ones): registrations, applications by programme and result, processing times in working days, pending
and overdue cases, grievances and the coverage of the registered population by programme, per commune of a
district (or district of a province), counted in SQL within the period.

Grievance figures are counted here from the domain's `grievance` table with the grievance report's own
definitions (received in the period; resolved in the period; SSDM grievances only, not the NSSF ones): the
registry family may not import the grievances family, and composing both reports in the assembly layer would
put report logic there. The two reports agree because they read the same columns the same way.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel, within
from webapp.domain.cases import CLOSED, OPEN, Case
from webapp.domain.clock import month_bounds
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.messages import N_
from webapp.domain.monitoring import POPULATION
from webapp.domain.people import RoleName, User
from webapp.domain.programme_use import APPLICATION_APPROVED, APPLICATION_REJECTED
from webapp.domain.registry import Programme
from webapp.domain.tasks import CANCELLED as TASK_CANCELLED
from webapp.domain.tasks import COMPLETED as TASK_COMPLETED
from webapp.domain.tasks import OPEN as TASK_OPEN
from webapp.domain.tasks import Task
from webapp.services.casework.kept_totals import totals
from webapp.services.registry.registration import PROCESS_ID as REGISTRATION
from webapp.services.registry.registration import REGISTERED, REJECTED

READERS = frozenset({RoleName.DISTRICT_SUPERVISOR, RoleName.PROVINCE_ESA_OFFICER, RoleName.ADMINISTRATOR})
SSDM_GRIEVANCE = Grievance.category != "social_security"  # NSSF complaints go to the regulator's report
PERIODS = {"month": N_("Month"), "semester": N_("Semester"), "year": N_("Year")}
BELOW = {
    AreaLevel.NATIONAL: AreaLevel.PROVINCE,
    AreaLevel.PROVINCE: AreaLevel.DISTRICT,
    AreaLevel.DISTRICT: AreaLevel.COMMUNE,
    AreaLevel.COMMUNE: AreaLevel.VILLAGE,
}


@dataclass(frozen=True)
class Period:
    kind: str  # PERIODS
    year: int
    number: int  # month 1-12, semester 1-2, or 1 for the year

    @property
    def months(self) -> tuple[int, int]:
        if self.kind == "month":
            return self.number, self.number
        if self.kind == "semester":
            return (1, 6) if self.number == 1 else (7, 12)
        return 1, 12

    def bounds(self) -> tuple[datetime, datetime]:
        first, last = self.months
        return month_bounds(self.year, first)[0], month_bounds(self.year, last)[1]


@dataclass
class AreaFigures:
    code: str
    name_km: str = ""
    name_latin: str = ""
    registrations: int = 0
    registered: int = 0
    registrations_rejected: int = 0
    applications: int = 0
    decided: int = 0
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    overdue: int = 0
    grievances: int = 0
    grievances_resolved: int = 0
    grievances_pending: int = 0
    people: int = 0
    median_days: float | None = None  # median processing time of the applications decided, working days
    by_programme: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    # programme -> [applications, approved, rejected, people enrolled at the end of the period]

    def coverage(self, programme: str) -> float | None:
        """Share of the registered population enrolled in `programme` at the end of the period."""
        return self.by_programme[programme][3] / self.people if self.people else None


RowOf = Callable[[str], AreaFigures]


@dataclass(frozen=True)
class MonitoringReport:
    scope: Area
    period: Period
    rows: list[AreaFigures]
    total: AreaFigures
    programmes: list[Programme]


def parse_period(kind: str | None, year: int | None, number: int | None, *, today: date) -> Period:
    kind = kind if kind in PERIODS else "month"
    year = year or today.year
    number = number or (today.month if kind == "month" else 1)
    limit = {"month": 12, "semester": 2, "year": 1}[kind]
    if not (2000 <= year <= today.year + 1 and 1 <= number <= limit):
        raise InvalidInput({"period": [N_("Choose a period that exists.")]})
    return Period(kind, year, number)


def monitoring_report(
    session: Session, *, user: User, scope_code: str | None, period: Period, now: datetime
) -> MonitoringReport:
    """The figures of `scope_code` (the reader's own area by default), one row per area one level below."""
    code = scope_code if scope_code is not None else user.scope_code
    scope = session.get(Area, code) if code else _country()
    if (
        user.role not in READERS
        or scope is None
        or not user.covers(scope.code)
        or scope.level == AreaLevel.VILLAGE
    ):
        raise NotFound(N_("Not found."))
    start, end = period.bounds()
    length = CODE_LENGTH[BELOW[AreaLevel(scope.level)]]
    rows: dict[str, AreaFigures] = {}

    def row(code: str) -> AreaFigures:
        return rows.setdefault(code, AreaFigures(code))

    _registrations(session, scope.code, length, start, end, row)
    _applications(session, scope.code, length, start, end, row)
    _pending(session, scope.code, length, end, min(end, now), row)
    _grievances(session, scope.code, length, start, end, row)
    _coverage(session, scope.code, length, end, row)
    overall = _processing_times(session, scope.code, length, start, end, row)
    _name(session, rows)
    ordered = [rows[code] for code in sorted(rows)]
    programmes = list(session.scalars(select(Programme).where(Programme.active).order_by(Programme.position)))
    total = _total(scope, ordered)
    total.median_days = overall
    return MonitoringReport(scope=scope, period=period, rows=ordered, total=total, programmes=programmes)


def _country() -> Area:
    """The whole country as a report's scope (administrators): not a stored area."""
    return Area(code="", name_km="ព្រះរាជាណាចក្រកម្ពុជា", name_latin="Cambodia", level=AreaLevel.NATIONAL)


def _area(column: Any, length: int) -> ColumnElement[str]:
    return func.substr(column, 1, length).label("code")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _registrations(
    session: Session, scope: str, length: int, start: datetime, end: datetime, row: RowOf
) -> None:
    code = _area(Case.area_code, length)
    in_scope = and_(Case.process_id == REGISTRATION, within(Case.area_code, scope))
    for area, count in session.execute(
        select(code, func.count())
        .where(in_scope, Case.created_at >= start, Case.created_at < end)
        .group_by(code)
    ):
        row(area).registrations += count
    for area, outcome, count in session.execute(
        select(code, Case.outcome, func.count())
        .where(in_scope, Case.status == CLOSED, Case.closed_at >= start, Case.closed_at < end)
        .group_by(code, Case.outcome)
    ):
        if outcome == REGISTERED:
            row(area).registered += count
        elif outcome == REJECTED:
            row(area).registrations_rejected += count


def _applications(
    session: Session, scope: str, length: int, start: datetime, end: datetime, row: RowOf
) -> None:
    code = _area(Case.area_code, length)
    in_scope = and_(Case.programme_code.is_not(None), within(Case.area_code, scope))
    for area, programme, count in session.execute(
        select(code, Case.programme_code, func.count())
        .where(in_scope, Case.created_at >= start, Case.created_at < end)
        .group_by(code, Case.programme_code)
    ):
        row(area).applications += count
        row(area).by_programme[programme][0] += count
    for area, programme, outcome, count in session.execute(
        select(code, Case.programme_code, Case.outcome, func.count())
        .where(in_scope, Case.status == CLOSED, Case.closed_at >= start, Case.closed_at < end)
        .group_by(code, Case.programme_code, Case.outcome)
    ):
        figures = row(area)
        figures.decided += count
        if outcome == APPLICATION_APPROVED:
            figures.approved += count
            figures.by_programme[programme][1] += count
        elif outcome == APPLICATION_REJECTED:
            figures.rejected += count
            figures.by_programme[programme][2] += count


def _pending(session: Session, scope: str, length: int, end: datetime, moment: datetime, row: RowOf) -> None:
    """Cases (applications and registrations) open at the end of the period, and those with a step past its
    deadline then (for the current period: now)."""
    code = _area(Case.area_code, length)
    still_open = or_(Case.status == OPEN, Case.closed_at >= end)
    kinds = or_(Case.programme_code.is_not(None), Case.process_id == REGISTRATION)
    for area, count in session.execute(
        select(code, func.count())
        .where(kinds, within(Case.area_code, scope), Case.created_at < end, still_open)
        .group_by(code)
    ):
        row(area).pending += count
    late = _late_case_ids(moment)
    for area, count in session.execute(
        select(code, func.count())
        .where(kinds, within(Case.area_code, scope), Case.created_at < end, still_open, Case.id.in_(late))
        .group_by(code)
    ):
        row(area).overdue += count


def _late_case_ids(moment: datetime) -> Any:
    """Cases with a step that was open and past its deadline at `moment`: open steps due before it, and steps
    completed or cancelled after it that were due before it. One branch per status, so each reads an index
    (open steps by deadline, completed ones by completion, cancelled ones by status) instead of every step
    in history."""
    before = and_(Task.due_at < moment, Task.created_at < moment)
    return union_all(
        select(Task.case_id).where(Task.status == TASK_OPEN, before),
        *(
            select(Task.case_id).where(Task.status == status, Task.completed_at > moment, before)
            for status in (TASK_COMPLETED, TASK_CANCELLED)
        ),
    )


def _grievances(
    session: Session, scope: str, length: int, start: datetime, end: datetime, row: RowOf
) -> None:
    code = _area(Grievance.area_code, length)
    in_scope = and_(SSDM_GRIEVANCE, within(Grievance.area_code, scope))
    for area, received, pending in session.execute(
        select(
            code, func.count(), _count_if(or_(Grievance.resolved_at.is_(None), Grievance.resolved_at >= end))
        )
        .where(in_scope, Grievance.received_at >= start, Grievance.received_at < end)
        .group_by(code)
    ):
        row(area).grievances += received
        row(area).grievances_pending += int(pending or 0)
    for area, count in session.execute(
        select(code, func.count())
        .where(in_scope, Grievance.resolved_at >= start, Grievance.resolved_at < end)
        .group_by(code)
    ):
        row(area).grievances_resolved += count


def _coverage(session: Session, scope: str, length: int, end: datetime, row: RowOf) -> None:
    """The registered population at the end of the period, and how many of them each programme serves
    (their first approval in it decided by then): kept totals (casework/kept_totals.py), not a count of
    history."""
    for area, programme, count in totals(session, scope=scope, digits=length, end=end):
        if programme == POPULATION:
            row(area).people += count
        else:
            row(area).by_programme[programme][3] += count


def _processing_times(
    session: Session, scope: str, length: int, start: datetime, end: datetime, row: RowOf
) -> float | None:
    """The median working days of the applications decided in the period, per area; returns the scope's.
    Each case's working days are kept when it closes; PostgreSQL takes the medians itself."""
    code = _area(Case.area_code, length)
    timed = and_(
        Case.status == CLOSED,
        Case.programme_code.is_not(None),
        Case.closed_at >= start,
        Case.closed_at < end,
        within(Case.area_code, scope),
        Case.working_days.is_not(None),
    )
    if session.get_bind().dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(Case.working_days)
        for area, value in session.execute(select(code, median).where(timed).group_by(code)):
            row(area).median_days = _days(value)
        return _days(session.scalar(select(median).where(timed)))
    days: dict[str, list[int]] = defaultdict(list)
    for area, value in session.execute(select(code, Case.working_days).where(timed)):
        days[area].append(value or 0)  # never null here (the filter)
    for area, values in days.items():
        row(area).median_days = statistics.median(values)
    every = [value for values in days.values() for value in values]
    return statistics.median(every) if every else None


def _days(value: Any) -> float | None:
    """A median as statistics.median gives it: whole days as an int, a half day as a float."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _name(session: Session, rows: dict[str, AreaFigures]) -> None:
    for area in session.scalars(select(Area).where(Area.code.in_(list(rows)))):
        rows[area.code].name_km, rows[area.code].name_latin = area.name_km, area.name_latin


def _total(scope: Area, rows: list[AreaFigures]) -> AreaFigures:
    total = AreaFigures(scope.code, scope.name_km, scope.name_latin)
    for figures in rows:
        for name in (
            "registrations",
            "registered",
            "registrations_rejected",
            "applications",
            "decided",
            "approved",
            "rejected",
            "pending",
            "overdue",
            "grievances",
            "grievances_resolved",
            "grievances_pending",
            "people",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        for programme, values in figures.by_programme.items():
            total.by_programme[programme] = [
                a + b for a, b in zip(total.by_programme[programme], values, strict=True)
            ]
    return total
