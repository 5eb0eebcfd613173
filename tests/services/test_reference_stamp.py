"""The deadlines' stamp (reference_stamp, moved by database triggers) moves with every kind of edit of the
calendars and of the SLA policies, inside the editing transaction; a value read inside a rolled-back edit
never comes back; and what one process keeps in memory is built again after another session's edit."""

import os
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.orm import Session

from tests.factories import user
from tests.migration_support import fresh_database_url, upgrade
from webapp.db import make_engine
from webapp.domain.people import User
from webapp.domain.sla import CalendarException, SlaPolicyRecord, WorkCalendar
from webapp.services.deadlines import calendar_admin
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.due_times import policies_for
from webapp.services.deadlines.table_stamp import table_stamp

WEEK = {day: "08:00-12:00, 14:00-17:00" for day in range(5)}
APPLICATION = "ssdm_programme_application"


def _edits() -> dict[str, Callable[[Session], object]]:
    def admin(session: Session) -> User:
        return user(session, "admin")

    return {
        "week": lambda s: calendar_admin.update_week(
            s, name="nssf", weekly_text=WEEK, public_holidays=False, actor=admin(s)
        ),
        "day_off": lambda s: calendar_admin.add_exception(
            s, name="nssf", day=date(2027, 2, 3), working=False, reason="Sub-decree 12", actor=admin(s)
        ),
        "office": lambda s: calendar_admin.assign_office(s, name="nssf", area_code="1701", actor=admin(s)),
    }


@pytest.mark.parametrize("edit", ["week", "day_off", "office"])
def test_a_calendar_edit_from_the_calendar_pages_moves_the_calendars_stamp_only(session, edit):
    before = table_stamp(session)
    _edits()[edit](session)
    after = table_stamp(session)
    assert after.calendars != before.calendars
    assert after.policies == before.policies


def test_removing_a_day_off_and_re_pointing_an_office_move_the_calendars_stamp(session):
    admin = user(session, "admin")
    nssf = calendar_admin.add_exception(
        session, name="nssf", day=date(2027, 2, 3), working=False, reason="Sub-decree 12", actor=admin
    )
    calendar_admin.assign_office(session, name="nssf", area_code="1701", actor=admin)
    before_removal = table_stamp(session)
    calendar_admin.remove_exception(session, name="nssf", exception_id=nssf.exceptions[0].id, actor=admin)
    before_repointing = table_stamp(session)
    calendar_admin.assign_office(session, name="government", area_code="1701", actor=admin)
    after = table_stamp(session)
    assert len({before_removal.calendars, before_repointing.calendars, after.calendars}) == 3
    assert before_removal.policies == after.policies


def test_an_edited_policy_moves_the_policies_stamp_only(session):
    before = table_stamp(session)
    policy = session.scalar(select(SlaPolicyRecord).where(SlaPolicyRecord.process_id == APPLICATION))
    assert policy is not None
    policy.target = "P25D"
    session.flush()
    after = table_stamp(session)
    assert after.policies != before.policies
    assert after.calendars == before.calendars


def _counters(session: Session) -> dict[str, int]:
    return {
        name: counter for name, counter in session.execute(text("SELECT name, counter FROM reference_stamp"))
    }


def test_a_write_that_bypasses_the_orm_moves_the_stamp_in_the_database(session):
    before = _counters(session)
    connection = session.connection()
    connection.execute(update(WorkCalendar).where(WorkCalendar.name == "nssf").values(label="NSSF"))
    moved_by_calendar = _counters(session)
    connection.execute(delete(SlaPolicyRecord).where(SlaPolicyRecord.process_id == APPLICATION))
    moved_by_policy = _counters(session)
    assert moved_by_calendar["calendars"] != before["calendars"]
    assert moved_by_calendar["policies"] == before["policies"]
    assert moved_by_policy["policies"] != moved_by_calendar["policies"]


def test_a_stamp_read_inside_a_rolled_back_edit_does_not_come_back(session):
    government = session.scalar(select(WorkCalendar.id).where(WorkCalendar.name == "government"))
    session.add(CalendarException(calendar_id=government, day=date(2027, 3, 1), reason="Sub-decree 7"))
    session.flush()
    read_inside = table_stamp(session).calendars
    session.rollback()  # the test's savepoint: the day off is gone
    session.add(CalendarException(calendar_id=government, day=date(2027, 3, 2), reason="Sub-decree 8"))
    session.flush()
    assert table_stamp(session).calendars != read_inside


@pytest.fixture(scope="module")
def own_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database of the run's kind for this module alone, where edits are committed without other tests
    (and xdist workers) seeing them."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # this module's tests may run on two workers
    url = fresh_database_url(database_url, tmp_path_factory.mktemp("stamp"), f"sala_stamp_caches_{worker}")
    upgrade(url, "heads")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_calendars_kept_in_memory_are_built_again_after_another_sessions_day_off(own_database):
    with Session(own_database) as reader:
        assert load_calendars(reader)["nssf"].days_off == {}
        reader.commit()
        with Session(own_database) as editor, editor.begin():
            nssf = editor.scalar(select(WorkCalendar.id).where(WorkCalendar.name == "nssf"))
            editor.add(CalendarException(calendar_id=nssf, day=date(2027, 4, 14), reason="Khmer New Year"))
        assert load_calendars(reader)["nssf"].days_off.keys() == {date(2027, 4, 14)}


def test_policies_kept_in_memory_are_read_again_after_another_sessions_edit(own_database):
    with Session(own_database) as reader:
        assert [policy.target.days for policy in policies_for(reader, APPLICATION)] == [20]
        before = table_stamp(reader)
        reader.commit()
        with Session(own_database) as editor, editor.begin():
            editor.execute(update(SlaPolicyRecord).values(target="P15D"))
        assert [policy.target.days for policy in policies_for(reader, APPLICATION)] == [15]
        assert table_stamp(reader).policies != before.policies
