"""Administrators edit working calendars and their days off; every change is checked and audited."""

import json
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from webapp.domain.areas import Area
from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.sla import AreaCalendar, CalendarChange, CalendarException, WorkCalendar
from webapp.services.deadlines.calendars import to_working_calendar
from webapp.services.deadlines.due_times import recompute_open_tasks
from webapp.services.deadlines.sweeps import REPLAY_JOB
from webapp.services.platform.jobs import enqueue
from webapp.sla import build_calendar
from webapp.sla.calendar import WEEKDAYS

ADMIN_ROLE = RoleName.ADMINISTRATOR


def _check_admin(actor: User) -> None:
    if actor.role != ADMIN_ROLE:
        raise PermissionDenied(N_("Only an administrator can change calendars."))


def calendars(session: Session, *, actor: User) -> list[WorkCalendar]:
    _check_admin(actor)
    return list(session.scalars(select(WorkCalendar).order_by(WorkCalendar.name)).all())


def get_calendar(session: Session, *, name: str, actor: User) -> WorkCalendar:
    _check_admin(actor)
    row = session.scalar(
        select(WorkCalendar).where(WorkCalendar.name == name).options(selectinload(WorkCalendar.exceptions))
    )
    if row is None:
        raise NotFound(N_("There is no calendar named %(name)s."), name=name)
    return row


def changes(session: Session, *, calendar: WorkCalendar) -> list[CalendarChange]:
    return list(
        session.scalars(
            select(CalendarChange)
            .where(CalendarChange.calendar_id == calendar.id)
            .order_by(CalendarChange.at.desc(), CalendarChange.id.desc())
        ).all()
    )


def parse_periods(text: str) -> list[tuple[time, time]]:
    """ "08:00-12:00, 14:00-17:00" -> periods; InvalidInput names the day's field on a bad entry."""
    periods = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        start, _, end = part.partition("-")
        try:
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        except ValueError as error:
            raise InvalidInput(
                {"weekly": [N_("Write working hours such as 08:00-12:00, 14:00-17:00.")]}
            ) from error
    return periods


def update_week(
    session: Session, *, name: str, weekly_text: dict[int, str], public_holidays: bool, actor: User
) -> WorkCalendar:
    """New weekly hours; refused as a whole if a period is reversed, overlaps, or no time is left."""
    row = get_calendar(session, name=name, actor=actor)
    weekly = {day: parse_periods(weekly_text.get(day, "")) for day in WEEKDAYS}
    build_calendar(name, weekly, timezone=row.timezone, public_holidays=public_holidays)
    before = snapshot(row)
    row.weekly_json = json.dumps(
        {
            str(day): [[s.isoformat("minutes"), e.isoformat("minutes")] for s, e in sorted(weekly[day])]
            for day in WEEKDAYS
        }
    )
    row.public_holidays = public_holidays
    return _changed(session, row, "week_changed", before, actor)


def add_exception(
    session: Session, *, name: str, day: date, working: bool, reason: str, actor: User
) -> WorkCalendar:
    row = get_calendar(session, name=name, actor=actor)
    if not reason.strip():
        raise InvalidInput({"reason": [N_("Give the reason, e.g. the sub-decree that moves the day.")]})
    if any(e.day == day for e in row.exceptions):
        raise InvalidInput({"day": [N_("This day already has an entry; remove it first.")]})
    before = snapshot(row)
    row.exceptions.append(CalendarException(day=day, working=working, reason=reason.strip()[:200]))
    session.flush()
    to_working_calendar(row)  # the same checks as the week: a day cannot be both off and on
    return _changed(session, row, "day_added", before, actor)


def remove_exception(session: Session, *, name: str, exception_id: int, actor: User) -> WorkCalendar:
    row = get_calendar(session, name=name, actor=actor)
    found = next((e for e in row.exceptions if e.id == exception_id), None)
    if found is None:
        raise NotFound(N_("Not found."))
    before = snapshot(row)
    row.exceptions.remove(found)
    return _changed(session, row, "day_removed", before, actor)


def snapshot(row: WorkCalendar) -> dict[str, Any]:
    return {
        "weekly": json.loads(row.weekly_json),
        "public_holidays": row.public_holidays,
        "days": {e.day.isoformat(): {"working": e.working, "reason": e.reason} for e in row.exceptions},
    }


def _changed(
    session: Session,
    row: WorkCalendar,
    kind: str,
    before: dict[str, Any],
    actor: User,
    offices_after: list[str] | None = None,
) -> WorkCalendar:
    """Audits the change and gives every open task on this calendar its due time again."""
    row.updated_at = utcnow()
    after = snapshot(row) | ({"offices": offices_after} if offices_after is not None else {})
    session.add(
        CalendarChange(
            calendar_id=row.id,
            actor_id=actor.id,
            kind=kind,
            before_json=json.dumps(before, sort_keys=True),
            after_json=json.dumps(after, sort_keys=True),
        )
    )
    session.flush()
    recompute_open_tasks(session, calendar_name=row.name)
    # BPMN deadline timers live in each case's workflow: the worker computes them again after the commit.
    enqueue(session, kind=REPLAY_JOB, payload={"calendar": row.name})
    return row


def offices(session: Session, *, calendar: WorkCalendar) -> list[str]:
    """Area codes whose offices count their deadlines on this calendar."""
    query = select(AreaCalendar.area_code).where(AreaCalendar.calendar_id == calendar.id)
    return list(session.scalars(query.order_by(AreaCalendar.area_code)).all())


def assign_office(session: Session, *, name: str, area_code: str, actor: User) -> WorkCalendar:
    """The office of `area_code` and the areas inside it without their own count new steps on it."""
    row = get_calendar(session, name=name, actor=actor)
    if session.get(Area, area_code) is None:
        raise InvalidInput({"area_code": [N_("There is no area with this code.")]})
    before = snapshot(row) | {"offices": offices(session, calendar=row)}
    existing = session.get(AreaCalendar, area_code)
    if existing is None:
        session.add(AreaCalendar(area_code=area_code, calendar_id=row.id))
    else:
        existing.calendar_id = row.id
    session.flush()
    return _changed(session, row, "office_assigned", before, actor, offices(session, calendar=row))


def unassign_office(session: Session, *, name: str, area_code: str, actor: User) -> WorkCalendar:
    row = get_calendar(session, name=name, actor=actor)
    existing = session.get(AreaCalendar, area_code)
    if existing is None or existing.calendar_id != row.id:
        raise NotFound(N_("Not found."))
    before = snapshot(row) | {"offices": offices(session, calendar=row)}
    session.delete(existing)
    session.flush()
    return _changed(session, row, "office_removed", before, actor, offices(session, calendar=row))
