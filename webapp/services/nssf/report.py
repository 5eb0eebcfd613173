"""The NSSF progress report: new enterprises and members per month, quarter and province, by target group,
against the goal of 1.2 million new members, with pending and overdue registrations; counted in SQL."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel, within
from webapp.domain.cases import OPEN, Case
from webapp.domain.errors import PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.nssf import (
    MEMBERS_GOAL,
    MICRO_EMPLOYEES,
    MICRO_REVENUE_USD,
    Enterprise,
    EnterpriseStatus,
    Member,
    MemberKind,
    MemberStatus,
)
from webapp.domain.people import User
from webapp.domain.tasks import OPEN as TASK_OPEN
from webapp.domain.tasks import Task
from webapp.services.nssf.records import ENTERPRISE_PROCESS, MEMBER_PROCESS, READERS

GOAL_SINCE = date(2024, 1, 1)  # the Operational Plan counts new members from 2024 to 2026
GROUPS = ("employees", "enterprises", "informal")


@dataclass
class ProgressRow:
    """One period (a month or a quarter) of one province."""

    period: str
    province: str
    enterprises: int = 0
    employees: int = 0
    informal: int = 0

    @property
    def members(self) -> int:
        return self.employees + self.informal


@dataclass
class ProgressReport:
    year: int
    months: list[ProgressRow] = field(default_factory=list)
    quarters: list[ProgressRow] = field(default_factory=list)
    provinces: dict[str, str] = field(default_factory=dict)  # code -> Latin name
    provinces_km: dict[str, str] = field(default_factory=dict)
    members_since_2024: int = 0
    goal: int = MEMBERS_GOAL
    pending: int = 0
    overdue: int = 0

    @property
    def goal_share(self) -> float:
        return self.members_since_2024 / self.goal if self.goal else 0.0

    def by_month(self) -> list[tuple[str, int, int]]:
        """Every month of the year: (month, new enterprises, new members), all provinces together."""
        totals: dict[str, list[int]] = {f"{self.year}-{m:02d}": [0, 0] for m in range(1, 13)}
        for row in self.months:
            totals[row.period][0] += row.enterprises
            totals[row.period][1] += row.members
        return [(period, e, m) for period, (e, m) in totals.items()]


def progress_report(session: Session, *, user: User, year: int, now: datetime) -> ProgressReport:
    if user.role not in READERS:
        raise PermissionDenied(N_("Your role cannot read the NSSF report."))
    scope = user.scope_code
    report = ProgressReport(year=year)
    rows: dict[tuple[str, str], ProgressRow] = {}

    def row(month: int, province: str) -> ProgressRow:
        key = (f"{year}-{month:02d}", province)
        return rows.setdefault(key, ProgressRow(*key))

    for month, province, count in _enterprises(session, scope, year):
        row(int(month), province).enterprises += count
    for month, province, group, count in _members(session, scope, year):
        target = row(int(month), province)
        setattr(target, group, getattr(target, group) + count)
    report.months = sorted(rows.values(), key=lambda r: (r.period, r.province))
    report.quarters = _quarters(report.months, year)
    codes = sorted({r.province for r in report.months})
    for area in session.scalars(select(Area).where(Area.code.in_(codes), Area.level == AreaLevel.PROVINCE)):
        report.provinces[area.code], report.provinces_km[area.code] = area.name_latin, area.name_km
    report.members_since_2024 = _members_since_goal(session, scope)
    report.pending, report.overdue = _open_registrations(session, scope, now)
    return report


def _members_since_goal(session: Session, scope: str) -> int:
    """Members registered in the area since the start of the goal's count."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(
                Member.status == MemberStatus.REGISTERED,
                Member.registered_on >= GOAL_SINCE,
                within(Member.area_code, scope),
            )
        )
        or 0
    )


def _open_registrations(session: Session, scope: str, now: datetime) -> tuple[int, int]:
    """Open enterprise and member registrations of the area, and how many of them have a step past due."""
    registrations = (Case.process_id.in_((ENTERPRISE_PROCESS, MEMBER_PROCESS)), Case.status == OPEN)
    pending = (
        session.scalar(
            select(func.count()).select_from(Case).where(*registrations, within(Case.area_code, scope))
        )
        or 0
    )
    overdue = (
        session.scalar(
            select(func.count(func.distinct(Case.id)))
            .select_from(Case)
            .join(Task, Task.case_id == Case.id)
            .where(*registrations, within(Case.area_code, scope), Task.status == TASK_OPEN, Task.due_at < now)
        )
        or 0
    )
    return pending, overdue


def _enterprises(session: Session, scope: str, year: int) -> list[tuple[int, str, int]]:
    month = extract("month", Enterprise.registered_on)
    province = func.substr(Enterprise.area_code, 1, 2)
    query = (
        select(month, province, func.count())
        .where(
            Enterprise.status == EnterpriseStatus.REGISTERED,
            extract("year", Enterprise.registered_on) == year,
            within(Enterprise.area_code, scope),
        )
        .group_by(month, province)
    )
    return [(int(m), p, c) for m, p, c in session.execute(query)]


def _members(session: Session, scope: str, year: int) -> list[tuple[int, str, str, int]]:
    """Employees of enterprises that are not micro-enterprises; the rest (micro-enterprises' employees and the
    self-employed) are the informal economy's target group."""
    month = extract("month", Member.registered_on)
    province = func.substr(Member.area_code, 1, 2)
    micro = (
        (Member.kind == MemberKind.SELF_EMPLOYED)
        | (Enterprise.employee_count < MICRO_EMPLOYEES)
        | (Enterprise.annual_revenue_usd < MICRO_REVENUE_USD)
    )
    query = (
        select(month, province, micro, func.count())
        .select_from(Member)
        .outerjoin(Enterprise, Enterprise.id == Member.enterprise_id)
        .where(
            Member.status == MemberStatus.REGISTERED,
            extract("year", Member.registered_on) == year,
            within(Member.area_code, scope),
        )
        .group_by(month, province, micro)
    )
    return [
        (int(m), p, "informal" if informal else "employees", c)
        for m, p, informal, c in session.execute(query)
    ]


def _quarters(months: list[ProgressRow], year: int) -> list[ProgressRow]:
    quarters: dict[tuple[str, str], ProgressRow] = {}
    for row in months:
        quarter = f"{year}-Q{(int(row.period[5:7]) - 1) // 3 + 1}"
        target = quarters.setdefault((quarter, row.province), ProgressRow(quarter, row.province))
        target.enterprises += row.enterprises
        target.employees += row.employees
        target.informal += row.informal
    return sorted(quarters.values(), key=lambda r: (r.period, r.province))


def report_table(report: ProgressReport) -> list[list[object]]:
    """The rows of the CSV and XLSX exports: quarters then months, one line per province."""
    header: list[object] = [
        "period",
        "province",
        "new_enterprises",
        "new_employees",
        "new_informal",
        "new_members",
    ]
    lines: list[list[object]] = [header]
    for row in [*report.quarters, *report.months]:
        name = report.provinces.get(row.province, row.province)
        lines.append([row.period, name, row.enterprises, row.employees, row.informal, row.members])
    lines.append(["2024-2026", "goal", "", "", "", report.goal])
    lines.append(["since 2024", "all", "", "", "", report.members_since_2024])
    return lines
