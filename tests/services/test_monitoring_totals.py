"""The monitoring report's kept figures: the totals of people and enrolments move as a recount of the people
and cases does (new people, approvals, a move, a merge), migration 0030's backfill recounts them, each
closed application keeps its working days, and the report's figures equal a straightforward recount."""

import importlib.util
import statistics
from pathlib import Path

from sqlalchemy import distinct, func, select, update

from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, drain_jobs, open_case, user, work
from tests.services.test_nssf import declare_one_employee
from tests.services.test_registry_import import GOOD, csv_bytes, upload
from webapp.domain.areas import within
from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED, Case
from webapp.domain.programme_use import APPLICATION_APPROVED
from webapp.domain.registry import Person
from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.services.casework.kept_totals import kept, month_of, recount
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.registry.duplicates import merge_people
from webapp.services.registry.importing import confirm_import
from webapp.services.registry.monitoring import Period, monitoring_report
from webapp.sla.working_time import working_days_between

MIGRATION = next((Path(__file__).parents[2] / "migrations" / "versions").glob("0030_*.py"))


def approved(session, engine, **person):
    case = open_case(session, engine, **person)
    work(session, engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, engine, case, "bo.social.ac", **APPROVE)
    work(session, engine, case, "iso.ac", **ANNOUNCE)
    return case


def mismatch(session):
    """Kept minus recounted, per row, where they differ."""
    session.flush()
    kept_now, counted = kept(session), recount(session)
    differences = {
        key: kept_now.get(key, 0) - counted.get(key, 0) for key in kept_now.keys() | counted.keys()
    }
    return {key: value for key, value in differences.items() if value}


def enrolled(session, village="17010101", programme="fp_elderly"):
    return kept(session).get((village, programme, month_of(utcnow())), 0)


def test_kept_totals_move_as_a_recount_through_approvals_a_move_and_a_merge(session, process_engine):
    before, enrolled_before = mismatch(session), enrolled(session)
    first = approved(session, process_engine, name_latin="Keo Vanna")
    twin = approved(session, process_engine, name_latin="Keo Vana")
    assert enrolled(session) == enrolled_before + 2
    open_case(session, process_engine, name_latin="Mao Dara").person.village_code = "17010102"
    merge_people(
        session,
        survivor_id=first.person_id,
        merged_id=twin.person_id,
        reason="Typed twice",
        actor=user(session, "ssdm.ac"),
    )

    assert enrolled(session) == enrolled_before + 1  # one person, enrolled once
    assert mismatch(session) == before


def population(session, village="17010101"):
    return kept(session).get((village, "", month_of(utcnow())), 0)


def test_people_of_an_imported_list_and_new_nssf_members_enter_the_population(session, process_engine):
    before, people_before = mismatch(session), population(session)
    checked = upload(session, csv_bytes(*GOOD))
    confirm_import(session, import_id=checked.id, actor=user(session, "ca.charchhuk"))
    drain_jobs(session)
    declare_one_employee(session, process_engine)

    assert population(session) > people_before
    assert mismatch(session) == before


def test_the_migration_backfill_recounts_the_totals_and_times_the_closed_applications(
    session, process_engine
):
    case = approved(session, process_engine)
    days = case.working_days
    session.execute(update(Case).where(Case.id == case.id).values(working_days=None))
    spec = importlib.util.spec_from_file_location("sala_monitoring_totals_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    migration.backfill(session.connection())

    session.expire_all()
    assert days is not None and session.get(Case, case.id).working_days == days
    assert mismatch(session) == {}


def test_a_closed_application_keeps_its_working_days_on_the_government_calendar(session, process_engine):
    case = approved(session, process_engine)

    calendar = load_calendars(session)[DEFAULT_CALENDAR]
    assert case.status == CLOSED and case.closed_at is not None
    assert case.working_days == working_days_between(calendar, case.created_at, case.closed_at)


def test_the_report_equals_a_recount_of_people_enrolments_and_working_days(session, process_engine):
    approved(session, process_engine)
    approved(session, process_engine, village_code="17010102")
    open_case(session, process_engine, programme="fp_base")
    now = utcnow()
    period = Period("month", now.year, now.month)
    start, end = period.bounds()

    report = monitoring_report(
        session, user=user(session, "sup.ac"), scope_code="1701", period=period, now=now
    )

    expected = recounted(session, "1701", start, end)
    assert expected and {row.code for row in report.rows} >= set(expected)
    for row in report.rows:
        people, covered, median = expected.get(row.code, (0, 0, None))
        assert (row.people, row.by_programme["fp_elderly"][3], row.median_days) == (people, covered, median)


def recounted(session, scope, start, end):
    """Per commune of `scope`: people registered by `end`, people approved for fp_elderly by then, and the
    median working days of the applications closed in the period, counted the plain way."""
    commune = func.substr(Person.village_code, 1, 6)
    people = dict(
        session.execute(
            select(commune, func.count())
            .where(
                Person.merged_into_id.is_(None), within(Person.village_code, scope), Person.created_at < end
            )
            .group_by(commune)
        ).all()
    )
    case_commune = func.substr(Case.area_code, 1, 6)
    covered = dict(
        session.execute(
            select(case_commune, func.count(distinct(Case.person_id)))
            .where(
                within(Case.area_code, scope),
                Case.outcome == APPLICATION_APPROVED,
                Case.programme_code == "fp_elderly",
                Case.closed_at < end,
            )
            .group_by(case_commune)
        ).all()
    )
    calendar = load_calendars(session)[DEFAULT_CALENDAR]
    days: dict[str, list[int]] = {}
    for area, opened, closed in session.execute(
        select(case_commune, Case.created_at, Case.closed_at).where(
            within(Case.area_code, scope),
            Case.programme_code.is_not(None),
            Case.status == CLOSED,
            Case.closed_at >= start,
            Case.closed_at < end,
        )
    ):
        days.setdefault(area, []).append(working_days_between(calendar, opened, closed))
    codes = set(people) | set(covered) | set(days)
    return {
        code: (
            people.get(code, 0),
            covered.get(code, 0),
            statistics.median(days[code]) if code in days else None,
        )
        for code in codes
    }
