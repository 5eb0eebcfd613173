"""NSSF formalization on a real database: enterprise registration, member lists, and compliance decisions."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import drain_jobs, user
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.grievances import Grievance
from webapp.domain.history import CaseEvent
from webapp.domain.letters import Letter
from webapp.domain.nssf import Enterprise, EnterpriseStatus, Member
from webapp.domain.people import RoleName
from webapp.domain.sla import WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.deadlines.sweeps import fire_case_timers
from webapp.services.nssf import adapters
from webapp.services.nssf.adapters.fake import fake_business_registry, fake_national_id
from webapp.services.nssf.compliance import Finding, appeal_decision, record_finding
from webapp.services.nssf.enterprises import EnterpriseApplication, apply_at_office, apply_online
from webapp.services.nssf.members import check_list, declare_employees

TODAY = date(2026, 11, 27)
COMMUNE = "170101"


def application(**overrides):
    fields = dict(
        name_km="ហាងកាត់ដេរ សុខ ដារ៉ា",
        name_latin="Sok Dara Garment Shop",
        legal_form="sole_proprietorship",
        activity="garment",
        area_code=COMMUNE,
        employee_count=12,
        contact_name="Sok Dara",
        contact_phone="012345678",
        annual_revenue_usd=80_000,
    )
    return EnterpriseApplication(**(fields | overrides))


def work(session, engine, case, step, data, username):
    task = session.scalar(
        select(Task).where(Task.case_id == case.id, Task.status == OPEN, Task.spec_name == step)
    )
    assert task is not None, step
    officer = user(session, username)
    claim_task(session, task_id=task.id, actor=officer)
    return submit_task(session, engine=engine, task_id=task.id, data=data, actor=officer, case_version=None)


def open_tasks(session, case):
    return [
        t.spec_name for t in session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN))
    ]


def registered_enterprise(session, process_engine):
    officer = user(session, "nssf.reg.siemreap")
    case = apply_at_office(
        session, engine=process_engine, actor=officer, application=application(), today=TODAY
    )
    drain_jobs(session)  # the business registry's check, which the case waits on
    work(session, process_engine, case, "review_application", {"decision": "approve"}, "nssf.reg.siemreap")
    return session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))


def declare(session, process_engine, officer, enterprise, report):
    """The enterprise declares the checked list's rows as its employees: the declaration's case."""
    return declare_employees(
        session,
        engine=process_engine,
        actor=officer,
        employer_number=enterprise.employer_number,
        report=report,
        today=TODAY,
    )


def declare_one_employee(session, process_engine) -> str:
    """A registered enterprise declares one employee of the national ID service's people; their ID number."""
    enterprise = registered_enterprise(session, process_engine)
    officer = user(session, "nssf.reg.siemreap")
    [p] = fake_national_id().sample(1)
    row = f"{p.id_number},{p.name_km},{p.name_latin},{p.sex},{p.date_of_birth},17010101,2026-01-05,\n"
    report = check_list(session, text=members_csv([row]), actor=officer)
    declare(session, process_engine, officer, enterprise, report)
    return p.id_number


def test_an_approved_enterprise_gets_an_employer_number_and_a_certificate(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    drain_jobs(session)
    assert enterprise.status == EnterpriseStatus.REGISTERED
    assert enterprise.employer_number.startswith("EMP-17-")
    keys = session.scalars(select(Letter.key).where(Letter.case_id == enterprise.case_id)).all()
    assert keys == ["nssf_registration_certificate"]


def test_an_online_application_found_in_the_business_registry_goes_to_review(session, process_engine):
    known = fake_business_registry().sample("obr")
    case = apply_online(
        session,
        engine=process_engine,
        application=application(registration_number=known.registration_number),
        client="203.0.113.9",
        today=TODAY,
    )
    assert open_tasks(session, case) == []  # the request never waits for the registry: the worker asks it
    drain_jobs(session)
    assert open_tasks(session, case) == ["review_application"]
    assert (
        session.scalar(select(Enterprise.registration_source).where(Enterprise.case_id == case.id)) == "obr"
    )


def test_the_online_form_refuses_a_sixth_application_from_one_address(session, process_engine):
    for number in range(5):
        apply_online(
            session,
            engine=process_engine,
            application=application(name_latin=f"Shop {number}"),
            client="198.51.100.4",
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        apply_online(
            session, engine=process_engine, application=application(), client="198.51.100.4", today=TODAY
        )


def test_a_registry_that_does_not_answer_becomes_a_task_to_verify_by_hand(session, process_engine):
    adapters.configure(
        adapters.AdapterSettings(business_registry_url="http://127.0.0.1:9", timeout_seconds=0.2)
    )
    try:
        officer = user(session, "nssf.reg.siemreap")
        case = apply_at_office(
            session,
            engine=process_engine,
            actor=officer,
            application=application(registration_number="OBR-2024-100001"),
            today=TODAY,
        )
        drain_jobs(session)
    finally:
        adapters.configure(adapters.AdapterSettings())
    assert open_tasks(session, case) == ["verify_by_hand"]
    work(
        session, process_engine, case, "verify_by_hand", {"registry_status": "not_found"}, "nssf.reg.siemreap"
    )
    assert open_tasks(session, case) == ["review_application"]
    enterprise = session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))
    assert enterprise.registration_source == "none"


def test_asking_for_documents_pauses_the_clock_and_sends_a_letter(session, process_engine):
    officer = user(session, "nssf.reg.siemreap")
    case = apply_at_office(
        session, engine=process_engine, actor=officer, application=application(), today=TODAY
    )
    drain_jobs(session)
    work(
        session,
        process_engine,
        case,
        "review_application",
        {"decision": "more_documents", "missing_documents": "ID card"},
        "nssf.reg.siemreap",
    )
    drain_jobs(session)
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert "clock_paused" in kinds
    assert session.scalars(select(Letter.key).where(Letter.case_id == case.id)).all() == [
        "nssf_documents_request"
    ]


def members_csv(rows):
    header = "national_id,name_km,name_latin,sex,date_of_birth,village_code,start_date,schemes\n"
    return header + "".join(rows)


def test_a_list_reports_each_bad_row_and_flags_duplicates_then_imports_the_rest(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    people = fake_national_id().sample(3)
    good = [
        f"{p.id_number},{p.name_km},{p.name_latin},{p.sex},{p.date_of_birth},17010101,2026-01-05,\n"
        for p in people
    ]
    bad = "12,x,y,other,1990-13-01,99999999,,\n"
    officer = user(session, "nssf.reg.siemreap")
    report = check_list(session, text=members_csv([*good, good[0], bad]), actor=officer)
    assert [r.line for r in report.bad] == [5, 6]
    assert report.rows[3].duplicate and len(report.rows[4].errors) >= 3
    case = declare(session, process_engine, officer, enterprise, report)
    drain_jobs(session)
    assert open_tasks(session, case) == ["review_members"]  # every ID confirmed by the national ID check
    work(session, process_engine, case, "review_members", {"decision": "approve"}, "nssf.reg.siemreap")
    drain_jobs(session)
    numbers = session.scalars(select(Member.member_number).where(Member.case_id == case.id)).all()
    assert len(numbers) == 3 and all(n.startswith("MBR-17-") for n in numbers)
    cards = session.scalars(select(Letter.key).where(Letter.case_id == case.id)).all()
    assert cards == ["nssf_member_card"] * 3
    again = check_list(session, text=members_csv(good[:1]), actor=officer)
    assert again.rows[0].duplicate


def test_an_unknown_id_goes_to_a_check_by_hand(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    officer = user(session, "nssf.reg.siemreap")
    report = check_list(
        session,
        text=members_csv(["111111111,សុខ ដារ៉ា,Sok Dara,male,1990-01-01,17010101,2026-01-05,\n"]),
        actor=officer,
    )
    case = declare(session, process_engine, officer, enterprise, report)
    drain_jobs(session)
    assert open_tasks(session, case) == ["verify_ids_by_hand"]


def inspection_at_deadline(session, process_engine):
    inspector = user(session, "nssf.insp.siemreap")
    finding = Finding(
        finding="unregistered",
        details="12 workers, no NSSF card",
        notice_days=7,
        name_km="ហាង ចាន់ សុភា",
        name_latin="Chan Sophea Shop",
        area_code=COMMUNE,
        workers_found=12,
    )
    case = record_finding(session, engine=process_engine, actor=inspector, finding=finding, today=TODAY)
    timer = session.scalar(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id))
    fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at + timedelta(minutes=1))
    drain_jobs(session)  # Sala checks the registration: still not registered
    assert open_tasks(session, case) == ["check_compliance"]
    return case


PROPOSED_FINE = {"compliance": "fine", "fine_khr": 4_000_000}


def test_a_fine_is_approved_by_a_second_officer_and_can_be_appealed(session, process_engine):
    case = inspection_at_deadline(session, process_engine)
    work(session, process_engine, case, "check_compliance", PROPOSED_FINE, "nssf.insp.siemreap")
    work(session, process_engine, case, "approve_proposal", {"approval": "approve"}, "nssf.chief.siemreap")
    drain_jobs(session)
    assert case.outcome == "fined"
    keys = session.scalars(select(Letter.key).where(Letter.case_id == case.id).order_by(Letter.id)).all()
    assert keys == ["nssf_compliance_notice", "nssf_fine_decision"]
    appeal_decision(
        session, case=case, actor=user(session, "nssf.insp.siemreap"), grounds="We registered late."
    )
    drain_jobs(session)
    grievance = session.scalar(select(Grievance).where(Grievance.description.startswith(case.reference)))
    assert grievance is not None and grievance.case.process_id == "grievance_social_security"


def test_the_officer_who_proposed_a_fine_may_not_approve_it(session, process_engine):
    case = inspection_at_deadline(session, process_engine)
    work(session, process_engine, case, "check_compliance", PROPOSED_FINE, "nssf.insp.siemreap")
    inspector = user(session, "nssf.insp.siemreap")
    inspector.role = RoleName.NSSF_CHIEF  # promoted since: still not the second pair of eyes
    with pytest.raises(PermissionDenied):
        work(session, process_engine, case, "approve_proposal", {"approval": "approve"}, "nssf.insp.siemreap")


def test_a_finding_issues_a_compliance_notice_and_waits_for_its_deadline(session, process_engine):
    case = record_finding(
        session,
        engine=process_engine,
        actor=user(session, "nssf.insp.siemreap"),
        finding=Finding(
            finding="unregistered",
            details="",
            notice_days=7,
            name_km="ហាង",
            name_latin="Shop",
            area_code=COMMUNE,
        ),
        today=TODAY,
    )
    drain_jobs(session)
    assert open_tasks(session, case) == []
    assert session.scalars(select(Letter.key).where(Letter.case_id == case.id)).all() == [
        "nssf_compliance_notice"
    ]


def test_inspectors_only_record_findings(session, process_engine):
    with pytest.raises(PermissionDenied):
        record_finding(
            session,
            engine=process_engine,
            actor=user(session, "nssf.reg.siemreap"),
            finding=Finding(finding="unregistered", details="", notice_days=7),
            today=TODAY,
        )
    with pytest.raises(InvalidInput):
        record_finding(
            session,
            engine=process_engine,
            actor=user(session, "nssf.insp.siemreap"),
            finding=Finding(finding="unregistered", details="", notice_days=9),
            today=TODAY,
        )


def test_imported_people_enter_the_registry_with_a_spid_a_household_and_their_first_version(
    session, process_engine
):
    from webapp.domain.registry import HouseholdMember, Person, PersonVersion
    from webapp.domain.spid import is_valid_spid

    id_number = declare_one_employee(session, process_engine)
    person = session.scalar(select(Person).where(Person.id_number == id_number))
    assert is_valid_spid(person.spid) and person.name_latin_key
    assert session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.person_id == person.id))
    assert session.scalar(select(PersonVersion.version).where(PersonVersion.person_id == person.id)) == 1


def test_the_progress_report_counts_new_enterprises_and_members_by_target_group(session, process_engine):
    from webapp.domain.base import utcnow
    from webapp.domain.clock import local_today
    from webapp.services.nssf.report import progress_report

    enterprise = registered_enterprise(session, process_engine)
    officer = user(session, "nssf.reg.siemreap")
    people = fake_national_id().sample(2)
    rows = [
        f"{p.id_number},{p.name_km},{p.name_latin},{p.sex},{p.date_of_birth},17010101,2026-01-05,\n"
        for p in people
    ]
    case = declare(
        session,
        process_engine,
        officer,
        enterprise,
        check_list(session, text=members_csv(rows), actor=officer),
    )
    drain_jobs(session)
    work(session, process_engine, case, "review_members", {"decision": "approve"}, "nssf.reg.siemreap")
    today = local_today()
    report = progress_report(session, user=user(session, "nssf.hq"), year=today.year, now=utcnow())
    [month] = [row for row in report.months if row.period == f"{today.year}-{today.month:02d}"]
    assert (month.province, month.enterprises, month.employees, month.informal) == ("17", 1, 2, 0)
    assert report.members_since_2024 >= 2 and report.provinces["17"] == "Siem Reap"
    with pytest.raises(PermissionDenied):
        progress_report(session, user=user(session, "ca.charchhuk"), year=today.year, now=utcnow())
