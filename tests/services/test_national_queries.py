"""Queries that do not grow with history: the area rule as an indexable range, one page of each list, the
reassign candidates of a whole page in one statement, reports bounded by their period."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from webapp.domain.areas import Area, contains, next_prefix, within
from webapp.domain.base import utcnow
from webapp.domain.tasks import Task
from webapp.services.casework.queries import candidates_for_tasks, case_list, inbox
from webapp.services.casework.tasks import claim_task
from webapp.services.deadlines.report import sla_report
from webapp.services.registry.monitoring import Period, monitoring_report


@pytest.mark.parametrize(
    ("code", "upper"), [("1701", "1702"), ("1709", "171"), ("19", "2"), ("99", ""), ("", None), ("17a", None)]
)
def test_the_range_of_a_code_ends_at_the_next_prefix(code, upper):
    assert next_prefix(code) == upper


@pytest.mark.parametrize("scope", ["", "1", "17", "1701", "170101", "17010101", "1799", "9", "18", "17%"])
def test_the_area_rule_in_sql_is_the_prefix_rule(session, scope):
    codes = session.scalars(select(Area.code)).all()
    found = set(session.scalars(select(Area.code).where(within(Area.code, scope))).all())
    assert found == {code for code in codes if contains(scope, code)}


def test_the_case_list_pages_forward_and_back_without_repeats(session, process_engine):
    opened = [open_case(session, process_engine, id_number=f"P{n:07d}") for n in range(5)]
    reader = user(session, "sup.ac")
    first = case_list(session, user=reader, limit=2)
    second = case_list(session, user=reader, limit=2, older_than=first.older)
    third = case_list(session, user=reader, limit=2, older_than=second.older)
    newest_first = [case.id for case in reversed(opened)]
    assert [c.id for page in (first, second, third) for c in page.cases] == newest_first
    assert first.newer is None and third.older is None
    back = case_list(session, user=reader, limit=2, newer_than=second.newer)
    assert [c.id for c in back.cases] == [c.id for c in first.cases] and back.newer is None
    assert case_list(session, user=user(session, "sup.ss"), limit=2).cases == []
    assert [c.id for c in case_list(session, user=reader, limit=2, older_than="junk").cases] == newest_first[
        :2
    ]


def test_the_inbox_reads_one_page_of_each_list_and_says_when_there_is_more(session, process_engine):
    for n in range(3):
        open_case(session, process_engine, id_number=f"Q{n:07d}")
    officer = user(session, "ssdm.ac")
    first = inbox(session, user=officer, per_page=2)
    second = inbox(session, user=officer, per_page=2, page=1)
    assert len(first.available) == 2 and first.has_next
    assert len(second.available) == 1 and not second.has_next
    assert {t.id for t in first.available}.isdisjoint(t.id for t in second.available)
    supervisor = inbox(session, user=user(session, "sup.ac"), per_page=2)
    assert len(supervisor.supervised) == 2 and supervisor.has_next


def test_the_candidates_of_a_whole_page_come_in_one_statement_with_their_open_load(session, process_engine):
    here = [open_task(session, open_case(session, process_engine, id_number=f"R{n:07d}")) for n in range(2)]
    there = open_task(session, open_case(session, process_engine, actor="ca.chrouy", village_code="17120101"))
    claim_task(session, task_id=here[0].id, actor=user(session, "ssdm.ac"))
    tasks = [*here, there]
    for task in tasks:
        assert task.case.area_code  # loaded before counting
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.connection(), "before_cursor_execute", listener)
    try:
        found = candidates_for_tasks(session, tasks=tasks)
    finally:
        event.remove(session.connection(), "before_cursor_execute", listener)
    assert len(statements) == 1
    assert [(c.username, c.open_tasks) for c in found[here[0].id]] == [("ssdm.ac", 1)]
    assert found[here[1].id] == found[here[0].id]
    assert [c.username for c in found[there.id]] == ["ssdm.ss"]
    everyone = session.scalars(select(Task.role)).all()
    assert everyone  # the rule is User.works_on: each candidate works on the task
    for task in tasks:
        for candidate in found[task.id]:
            assert user(session, candidate.username).works_on(task.role, task.case.area_code)


def test_the_sla_report_counts_only_its_period(session, process_engine):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    reader, now = user(session, "sup.ac"), utcnow()
    current = sla_report(session, user=reader, area_code=None, now=now)
    assert ("Check the documents", 1, 1) in [(r.step, r.cases, r.met + r.breached) for r in current.rows]
    assert len(current.months) == 3 and current.months[-1] == (now + timedelta(hours=7)).strftime("%Y-%m")
    old = date(2020, 1, 1)
    assert (
        sla_report(session, user=reader, area_code=None, now=now, first_month=old, last_month=old).rows == []
    )
    wide = sla_report(session, user=reader, area_code=None, now=now, first_month=date(2000, 1, 1))
    assert len(wide.months) == 12


def test_the_sla_report_reads_the_working_time_kept_at_completion(session, process_engine):
    case = open_case(session, process_engine)
    done = work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    done.working_seconds = 7 * 3600  # what the completion hook kept, whatever the clock says now
    session.flush()
    report = sla_report(session, user=user(session, "sup.ac"), area_code=None, now=utcnow())
    row = next(r for r in report.rows if r.step == "Check the documents")
    assert (row.median_hours, row.p90_hours) == (7.0, 7.0)


def test_a_step_carries_the_process_of_its_case(session, process_engine):
    case = open_case(session, process_engine, id_number="T0000001")
    assert open_task(session, case).process_id == case.process_id == "ssdm_programme_application"


def test_a_district_case_list_holds_its_district_cases_and_no_other(session, process_engine):
    here = open_case(session, process_engine, id_number="T0000002")
    there = open_case(
        session, process_engine, actor="ca.chrouy", village_code="17120101", id_number="T0000003"
    )
    for name, mine, other in (("sup.ac", here, there), ("sup.ss", there, here)):
        reader = user(session, name)
        listed = case_list(session, user=reader).cases
        assert mine.id in {c.id for c in listed} and other.id not in {c.id for c in listed}
        assert all(reader.covers(c.area_code) for c in listed)
        assert [c.created_at for c in listed] == sorted((c.created_at for c in listed), reverse=True)


def test_the_sla_report_of_a_district_leaves_out_the_other_districts_and_the_nation_has_them_all(
    session, process_engine
):
    here = open_case(session, process_engine, id_number="T0000004")
    there = open_case(
        session, process_engine, actor="ca.chrouy", village_code="17120101", id_number="T0000005"
    )
    work(session, process_engine, here, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, there, "ssdm.ss", **DOCUMENTS_OK)
    now = utcnow()

    def offices(name: str) -> set[str]:
        rows = sla_report(session, user=user(session, name), area_code=None, now=now).rows
        return {row.office for row in rows if row.step == "Check the documents"}

    assert offices("sup.ac") == {here.area_code[:4]}
    assert offices("sup.ss") == {there.area_code[:4]}
    assert {here.area_code[:4], there.area_code[:4]} <= offices("admin")


def test_an_open_step_past_its_deadline_counts_as_breached_in_the_report(session, process_engine):
    task = open_task(session, open_case(session, process_engine, id_number="T0000006"))
    reader, now = user(session, "sup.ac"), utcnow()

    def breached() -> int:
        rows = sla_report(session, user=reader, area_code=None, now=now).rows
        return sum(row.breached for row in rows if row.step == task.name and row.office == task.area_code)

    before = breached()
    task.due_at = now - timedelta(hours=1)
    session.flush()
    assert breached() == before + 1


def test_the_sla_report_median_and_90th_percentile_of_kept_working_time(session, process_engine):
    done = [
        work(
            session,
            process_engine,
            open_case(session, process_engine, id_number=f"U{n:07d}"),
            "ssdm.ac",
            **DOCUMENTS_OK,
        )
        for n in range(4)
    ]
    for task, hours in zip(done, (1, 2, 3, 10), strict=True):
        task.working_seconds = hours * 3600
    session.flush()
    report = sla_report(session, user=user(session, "sup.ac"), area_code=None, now=utcnow())
    row = next(r for r in report.rows if r.step == "Check the documents" and r.office == done[0].area_code)
    assert (row.met + row.breached, row.median_hours, row.p90_hours) == (4, 2.5, 10.0)


def test_the_monitoring_report_counts_a_case_overdue_whatever_became_of_its_late_step(
    session, process_engine
):
    late, done_late, done_in_time = (
        open_case(session, process_engine, id_number=f"V{n:07d}") for n in range(3)
    )  # the late step still open; completed after the moment but due before it; due after the moment
    tasks = [open_task(session, case) for case in (late, done_late, done_in_time)]
    now = utcnow() + timedelta(minutes=1)  # the moment the report is read at, after the steps opened
    reader, period = user(session, "sup.ac"), Period("month", now.year, now.month)
    commune = late.area_code[:6]

    def overdue(moment):
        rows = monitoring_report(session, user=reader, scope_code=None, period=period, now=moment).rows
        return next(row.overdue for row in rows if row.code == commune)

    before = overdue(now)
    for task, due in zip(
        tasks, (now - timedelta(hours=2), now - timedelta(hours=2), now + timedelta(hours=2)), strict=True
    ):
        task.due_at = due
    session.flush()  # before `work` expires what the session holds
    done = work(session, process_engine, done_late, "ssdm.ac", **DOCUMENTS_OK)
    done.completed_at = now + timedelta(hours=1)
    session.flush()
    assert overdue(now) == before + 2
