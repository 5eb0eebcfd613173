"""The SLA report: per process, step, office and month, how many steps met or missed their deadline."""

import io
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.domain.tasks import COMPLETED, OPEN, Task
from webapp.domain.text import SafeCsvWriter
from webapp.services.deadlines.calendars import load_calendars
from webapp.sla import WorkingCalendar
from webapp.sla.working_time import working_time_between

Key = tuple[str, str, str, str]  # process, step, office, month


@dataclass(frozen=True)
class ReportRow:
    process_id: str
    step: str
    office: str
    month: str
    cases: int
    met: int
    breached: int
    median_hours: float
    p90_hours: float


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    area_code: str


def sla_report(session: Session, *, user: User, area_code: str | None, now: datetime) -> Report:
    """Completed steps, and open ones already past their deadline, of the reader's area (or a part of it)."""
    if not user.is_supervisor:
        raise NotFound(N_("Not found."))
    scope = area_code if area_code is not None else user.scope_code
    if not user.covers(scope):
        raise NotFound(N_("Not found."))
    query = (
        select(Task, Case.process_id)
        .join(Case, Case.id == Task.case_id)
        .where(Task.due_at.is_not(None))
        .where(or_(Task.status == COMPLETED, (Task.status == OPEN) & (Task.due_at <= now)))
    )
    query = query.where(within(Case.area_code, scope))
    calendars = load_calendars(session)
    groups: dict[Key, list[tuple[Task, timedelta]]] = defaultdict(list)
    for task, process_id in session.execute(query):
        calendar = calendars.get(task.sla_calendar or DEFAULT_CALENDAR) or calendars[DEFAULT_CALENDAR]
        end = task.completed_at or now
        month = _month(calendar, task.completed_at or task.due_at)
        groups[(process_id, task.name, task.area_code, month)].append(
            (task, working_time_between(calendar, task.created_at, end))
        )
    return Report(rows=[_row(key, items) for key, items in sorted(groups.items())], area_code=scope)


def _row(key: Key, items: list[tuple[Task, timedelta]]) -> ReportRow:
    met = sum(1 for task, _ in items if _met(task))
    hours = sorted(worked / timedelta(hours=1) for _, worked in items)
    return ReportRow(
        *key,
        cases=len({task.case_id for task, _ in items}),
        met=met,
        breached=len(items) - met,
        median_hours=round(statistics.median(hours), 1),
        p90_hours=round(_percentile(hours, 0.9), 1),
    )


def _met(task: Task) -> bool:
    return task.completed_at is not None and task.due_at is not None and task.completed_at <= task.due_at


def _percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value below which `share` of the steps fall."""
    rank = max(1, -(-len(sorted_values) * share // 1))
    return sorted_values[int(rank) - 1]


def _month(calendar: WorkingCalendar, moment: datetime | None) -> str:
    local = (moment or datetime.now(UTC).replace(tzinfo=None)).replace(tzinfo=UTC).astimezone(calendar.zone)
    return local.strftime("%Y-%m")


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(
        ["process", "step", "office", "month", "cases", "met", "breached", "median_hours", "p90_hours"]
    )
    for row in report.rows:
        writer.writerow(_cells(row))
    return out.getvalue()


def _cells(row: ReportRow) -> Iterable[object]:
    return (
        row.process_id,
        row.step,
        row.office,
        row.month,
        row.cases,
        row.met,
        row.breached,
        row.median_hours,
        row.p90_hours,
    )
