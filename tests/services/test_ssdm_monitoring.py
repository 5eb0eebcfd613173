"""The SSDM monitoring report: each figure counted once in its area and period, and who may read it."""

import statistics
from datetime import date, datetime

import pytest

from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, TODAY, open_case, user, work
from tests.services.test_grievances import record
from tests.services.test_registry_registration import CONFIRM, register
from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput, NotFound
from webapp.services.registry.monitoring import Period, monitoring_report, parse_period


def this_month() -> Period:
    now = utcnow()
    return Period("month", now.year, now.month)


def report_for(session, username="sup.ac", scope=None, period=None):
    return monitoring_report(
        session, user=user(session, username), scope_code=scope, period=period or this_month(), now=utcnow()
    )


def commune(report, code="170101"):
    return next(row for row in report.rows if row.code == code)


def test_the_month_counts_registrations_applications_results_grievances_and_coverage(session, process_engine):
    registration = register(session, process_engine)
    work(session, process_engine, registration, "ssdm.ac", **CONFIRM)
    rejected = open_case(session, process_engine, programme="fp_disability")
    work(session, process_engine, rejected, "ssdm.ac", **DOCUMENTS_OK)
    approved = open_case(session, process_engine, programme="fp_elderly")
    work(session, process_engine, approved, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, approved, "bo.social.ac", **APPROVE)
    work(session, process_engine, approved, "iso.ac", **ANNOUNCE)
    open_case(session, process_engine, programme="fp_base")
    record(session, process_engine)

    figures = commune(report_for(session))

    assert (figures.registrations, figures.registered) == (1, 1)
    assert (figures.applications, figures.decided, figures.approved, figures.rejected) == (3, 2, 1, 1)
    assert figures.pending == 1 and figures.overdue == 0
    assert figures.grievances == 1
    timed = [rejected.working_days, approved.working_days]
    assert None not in timed and figures.median_days == statistics.median(timed)
    assert figures.by_programme["fp_elderly"] == [1, 1, 0, 1]
    assert figures.people >= 4 and figures.coverage("fp_elderly") == pytest.approx(1 / figures.people)


def test_a_period_before_the_work_counts_nothing(session, process_engine):
    open_case(session, process_engine, programme="fp_base")

    report = report_for(session, period=Period("month", 2024, 1))

    assert report.total.applications == 0 and report.total.pending == 0


def test_the_year_and_the_semester_hold_the_month(session, process_engine):
    open_case(session, process_engine, programme="fp_base")
    now = utcnow()

    year = report_for(session, "esa.siemreap", period=Period("year", now.year, 1))
    semester = report_for(
        session, "esa.siemreap", period=Period("semester", now.year, 1 if now.month <= 6 else 2)
    )

    assert [row.code for row in year.rows if row.applications] == ["1701"]
    assert year.total.applications == semester.total.applications == 1


def test_the_report_is_for_supervisors_the_province_and_administrators_in_their_area(session):
    for username in ("ca.charchhuk", "ssdm.ac", "vdc.charchhuk"):
        with pytest.raises(NotFound):
            report_for(session, username)
    with pytest.raises(NotFound):
        report_for(session, "sup.ss", scope="1701")
    assert report_for(session, "admin").scope.code == ""


def test_a_period_that_does_not_exist_is_refused():
    with pytest.raises(InvalidInput):
        parse_period("month", 2026, 13, today=TODAY)
    assert parse_period("semester", 2026, 2, today=TODAY).bounds()[0] == datetime(2026, 6, 30, 17, 0)
    assert parse_period(None, None, None, today=date(2026, 11, 20)) == Period("month", 2026, 11)
