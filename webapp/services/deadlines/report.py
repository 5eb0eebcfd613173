"""The SLA report: per process, step, office and month, how many steps met or missed their deadline.

Bounded by a period of whole months and counted in SQL. The working-time median and 90th percentile of each
row are exact on PostgreSQL when every step of the row kept its working seconds at completion (computed
in the grouping); otherwise they come from an evenly spread sample of its steps (every step when a row has
few), so the report's cost follows the number of rows shown, not the history of the area.
"""

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.domain.tasks import COMPLETED, OPEN, REPORT_COLUMNS, Task
from webapp.domain.text import SafeCsvWriter
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.working_clock import WorkingClock
from webapp.sla import WorkingCalendar

Key = tuple[str, str, str, str]  # process, step, office, month
DEFAULT_MONTHS = 3  # the current month and the two before it
MAX_MONTHS = 12
SAMPLE_BUDGET = 20_000  # steps whose working time is computed, spread over the rows
SAMPLE_MIN, SAMPLE_MAX = 11, 201


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
    months: tuple[str, ...] = ()  # the period, first month first ("2026-09", "2026-10", ...)


def sla_report(
    session: Session,
    *,
    user: User,
    area_code: str | None,
    now: datetime,
    first_month: date | None = None,
    last_month: date | None = None,
) -> Report:
    """Completed steps, and open ones already past their deadline, of the reader's area (or a part of it),
    whose month (of completion, or of the deadline for open ones) lies in the period: by default the
    current month and the two before it, at most twelve months."""
    scope = _report_scope(user, area_code)
    calendars = load_calendars(session)
    default = calendars[DEFAULT_CALENDAR]
    months = _period(default, now, first_month, last_month)
    bounds = [_month_start(default, month) for month in [*months, _next_month(months[-1])]]
    steps = _steps(scope, now, bounds[0], bounds[-1])
    key = _row_key(session, steps, _month_label(steps, months, bounds))
    exact = _exact_hours(session, steps)
    counts = session.execute(
        select(
            *key,
            func.count(func.distinct(steps.c.case_id)),
            func.count(),
            func.sum(case((steps.c.completed_at <= steps.c.due_at, 1), else_=0)),
            *exact,
        ).group_by(*_sort_first(key))
    ).all()
    known: dict[Key, tuple[float, float]] = {
        (found[0], found[1], found[2], found[3]): (float(found[8]), float(found[9]))
        for found in counts
        if exact and found[7] == found[5]
    }
    hours: dict[Key, list[float]] = {}
    if len(known) < len(counts):  # some steps without kept seconds (open, or completed before 0021)
        share = max(SAMPLE_MIN, min(SAMPLE_MAX, SAMPLE_BUDGET // len(counts)))
        hours = _sampled_hours(session, steps, key, share, calendars, now)
    rows = [_row(found, known, hours) for found in counts]
    rows.sort(key=lambda row: (row.process_id, row.step, row.office, row.month))
    return Report(rows=rows, area_code=scope, months=tuple(m.strftime("%Y-%m") for m in months))


def _exact_hours(session: Session, steps: Subquery) -> tuple[ColumnElement[Any], ...]:
    """On PostgreSQL, each row's count of kept working seconds, their median and nearest-rank 90th percentile
    computed exactly in the grouping itself (ordered-set aggregates); other databases sample in Python."""
    if session.get_bind().dialect.name != "postgresql":
        return ()
    seconds = steps.c.working_seconds
    return (
        func.count(seconds),
        func.percentile_cont(0.5).within_group(seconds),
        func.percentile_disc(0.9).within_group(seconds),
    )


def _report_scope(user: User, area_code: str | None) -> str:
    """The area the report covers: the one asked for, else the reader's; 404 unless a supervisor covers it."""
    if not user.is_supervisor:
        raise NotFound(N_("Not found."))
    scope = area_code if area_code is not None else user.scope_code
    if not user.covers(scope):
        raise NotFound(N_("Not found."))
    return scope


def _row(found: Any, known: dict[Key, tuple[float, float]], hours: dict[Key, list[float]]) -> ReportRow:
    """A row of the report from its counts, with the hours computed in SQL (seconds) or from its sample."""
    key: Key = (found[0], found[1], found[2], found[3])
    cases, total, met = found[4], found[5], int(found[6] or 0)
    if key in known:
        median, p90 = (seconds / 3600 for seconds in known[key])
    else:
        sample = sorted(hours.get(key, []))
        median, p90 = _percentile(sample, 0.5, median=True), _percentile(sample, 0.9)
    return ReportRow(
        *key,
        cases=cases,
        met=met,
        breached=total - met,
        median_hours=round(median, 1),
        p90_hours=round(p90, 1),
    )


def _steps(scope: str, now: datetime, start: datetime, end: datetime) -> Subquery:
    """The steps of the report: completed in the period, or open past a deadline that falls in it.

    Two branches, so that each reads its own index: the completed steps of the period come from the
    completion index alone (it carries every column read here), the few open ones from the open-deadline
    index. The process is the task's own copy; the case is joined only to cut the steps to an area.
    """
    columns = [Task.completed_at, *(getattr(Task, name) for name in REPORT_COLUMNS)]
    completed = select(*columns).where(
        Task.status == COMPLETED,
        Task.completed_at >= start,
        Task.completed_at < end,
        Task.due_at.is_not(None),
    )
    breached_open = select(*columns).where(
        Task.status == OPEN, Task.due_at <= now, Task.due_at >= start, Task.due_at < end
    )
    if scope:
        in_area = Task.case_id.in_(select(Case.id).where(within(Case.area_code, scope)))
        completed, breached_open = completed.where(in_area), breached_open.where(in_area)
    return union_all(completed, breached_open).subquery("steps")


def _row_key(session: Session, steps: Subquery, label: ColumnElement[str]) -> tuple[ColumnElement[str], ...]:
    """What a row of the report groups by. PostgreSQL compares the texts byte by byte (the C collation):
    grouping is the same in any deterministic collation, and sorting a month of the nation's steps under
    the database's ICU collation cost several times more."""
    columns = (steps.c.process_id, steps.c.name, steps.c.area_code, label)
    if session.get_bind().dialect.name != "postgresql":
        return columns
    return tuple(column.collate("C").label(column.key) for column in columns)


def _sort_first(key: tuple[ColumnElement[str], ...]) -> tuple[ColumnElement[str], ...]:
    """The row key in the order PostgreSQL 15 sorts a grouping by: the office first (it differs from row to
    row; the process, alike in most rows, compared first made every comparison long)."""
    process, step, office, month = key
    return office, step, month, process


def _sampled_hours(
    session: Session,
    steps: Subquery,
    key: tuple[ColumnElement[str], ...],
    share: int,
    calendars: dict[str, WorkingCalendar],
    now: datetime,
) -> dict[Key, list[float]]:
    """Working hours of at most about `share` steps per row, spread evenly over the row's steps."""
    order = (func.coalesce(steps.c.completed_at, steps.c.due_at), steps.c.case_id)
    ranked = select(
        *key,
        steps.c.created_at,
        steps.c.completed_at,
        steps.c.sla_calendar,
        steps.c.working_seconds,
        func.row_number().over(partition_by=_sort_first(key), order_by=order).label("rank"),
        func.count().over(partition_by=_sort_first(key)).label("size"),
    ).subquery()
    step = (ranked.c.size + (share - 1)) // share
    picked = select(ranked).where((ranked.c.rank - 1) % step == 0)
    clocks = {name: WorkingClock(calendar) for name, calendar in calendars.items()}
    fallback = clocks[DEFAULT_CALENDAR]
    hours: dict[Key, list[float]] = defaultdict(list)
    for process, name, office, month, created, completed, calendar, kept, _rank, _size in session.execute(
        picked
    ):
        if kept is not None and completed is not None:  # kept at completion (due_times.on_task_completed)
            hours[(process, name, office, month)].append(kept / 3600)
            continue
        clock = clocks.get(calendar or DEFAULT_CALENDAR, fallback)
        worked = clock.between(created, completed or now)
        hours[(process, name, office, month)].append(worked / timedelta(hours=1))
    return hours


def _month_label(steps: Subquery, months: Sequence[date], bounds: Sequence[datetime]) -> ColumnElement[str]:
    """The month of a step (of completion, else of its deadline) as "YYYY-MM", from the period's bounds."""
    moment = func.coalesce(steps.c.completed_at, steps.c.due_at)
    ends = bounds[1:]
    whens = [(moment < end, literal(f"{month:%Y-%m}")) for month, end in zip(months, ends, strict=True)]
    return case(*whens, else_=literal("")).label("month")


def _period(calendar: WorkingCalendar, now: datetime, first: date | None, last: date | None) -> list[date]:
    """The months of the report, first to last, cut to MAX_MONTHS ending at the last."""
    local_now = now.replace(tzinfo=UTC).astimezone(calendar.zone) if now.tzinfo is None else now
    last = (last or local_now.date()).replace(day=1)
    first = (first or _add_months(last, 1 - DEFAULT_MONTHS)).replace(day=1)
    first = max(first, _add_months(last, 1 - MAX_MONTHS))
    months = [first]
    while months[-1] < last:
        months.append(_next_month(months[-1]))
    return months


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _next_month(month: date) -> date:
    return _add_months(month, 1)


def _month_start(calendar: WorkingCalendar, month: date) -> datetime:
    """Midnight of the month's first day in the calendar's zone, as a naive UTC moment like Sala stores."""
    local = datetime(month.year, month.month, 1, tzinfo=calendar.zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def _percentile(sorted_values: list[float], share: float, *, median: bool = False) -> float:
    """Nearest-rank percentile (the value below which `share` of the steps fall); the median averages the
    two middle values of an even count, as statistics.median does."""
    if not sorted_values:
        return 0.0
    if median:
        middle = len(sorted_values) // 2
        if len(sorted_values) % 2:
            return sorted_values[middle]
        return (sorted_values[middle - 1] + sorted_values[middle]) / 2
    rank = max(1, -(-len(sorted_values) * share // 1))
    return sorted_values[int(rank) - 1]


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
