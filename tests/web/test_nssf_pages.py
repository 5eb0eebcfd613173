"""NSSF pages: who may open them, the public form, a member list from upload to import, and the report."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.nssf import Enterprise, EnterpriseStatus, Member
from webapp.services.nssf.adapters.fake import fake_national_id

ENTERPRISE = {
    "name_km": "ហាងកាត់ដេរ សុខ ដារ៉ា",
    "name_latin": "Sok Dara Garment Shop",
    "registration_number": "",
    "legal_form": "sole_proprietorship",
    "activity": "garment",
    "area": "170101",
    "employee_count": "12",
    "annual_revenue_usd": "",
    "contact_name": "Sok Dara",
    "contact_phone": "012345678",
}


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("nssf.reg.siemreap", "/nssf/enterprises/new", 200),
        ("nssf.insp.siemreap", "/nssf/enterprises/new", 404),
        ("nssf.insp.siemreap", "/nssf/inspections/new", 200),
        ("nssf.reg.siemreap", "/nssf/inspections/new", 404),
        ("ca.charchhuk", "/nssf/", 404),
        ("nssf.hq", "/nssf/report", 200),
        ("nssf.chief.siemreap", "/nssf/", 200),
    ],
)
def test_each_page_answers_only_the_roles_it_serves(client, username, path, status):
    sign_in(client, username)
    assert client.get(path).status_code == status


def test_the_public_form_opens_a_registration_without_an_account(client, session):
    token = csrf_token(client, "/nssf/apply")
    response = client.post("/nssf/apply", data={**ENTERPRISE, "csrf_token": token})
    assert response.status_code == 200 and b"NSE-1701-" in response.data
    enterprise = session.scalar(select(Enterprise).where(Enterprise.name_latin == "Sok Dara Garment Shop"))
    assert enterprise is not None and enterprise.status == EnterpriseStatus.APPLIED


def test_the_public_form_refuses_a_post_without_its_csrf_token(client):
    assert client.post("/nssf/apply", data=ENTERPRISE).status_code == 400


def test_national_officers_read_a_provinces_case_and_other_roles_find_nothing(client):
    sign_in(client, "nssf.reg.siemreap")
    response = post(client, "/nssf/enterprises/new", {**ENTERPRISE, "channel": "counter"})
    case_path = response.headers["Location"]
    sign_in(client, "nssf.hq")
    assert client.get(case_path).status_code == 200
    sign_in(client, "ca.charchhuk")
    assert client.get(case_path).status_code == 404


def test_a_list_is_checked_then_its_good_rows_imported(client, session):
    sign_in(client, "nssf.reg.siemreap")
    enterprise = Enterprise(
        name_km="ក្រុមហ៊ុន",
        name_latin="Test Co",
        legal_form="private_limited",
        activity="garment",
        area_code="170101",
        employee_count=40,
        registration_source="obr",
        employer_number="EMP-17-TEST-1",
        status=EnterpriseStatus.REGISTERED,
    )
    session.add(enterprise)
    session.flush()
    person = fake_national_id().sample(1)[0]
    text = (
        "national_id,name_km,name_latin,sex,date_of_birth,village_code,start_date,schemes\n"
        f"{person.id_number},{person.name_km},{person.name_latin},{person.sex},{person.date_of_birth},17010101,2026-01-05,\n"
        "12,x,y,z,bad,1,,\n"
    )
    upload = (io.BytesIO(text.encode()), "staff.csv")
    checked = post(
        client,
        "/nssf/members/new",
        {"employer_number": "EMP-17-TEST-1", "upload": upload},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 200 and b'id="bad-rows"' in checked.data
    assert session.scalar(select(Member.id).where(Member.enterprise_id == enterprise.id)) is None
    confirmed = post(
        client, "/nssf/members/new", {"employer_number": "EMP-17-TEST-1", "content": text, "confirm": "1"}
    )
    assert confirmed.status_code == 302
    assert len(session.scalars(select(Member).where(Member.enterprise_id == enterprise.id)).all()) == 1


def test_a_self_employed_worker_the_registry_already_holds_is_refused_with_the_reason_in_khmer(
    client, session
):
    from tests.factories import user
    from webapp.services.casework.people import PersonDetails, register_person

    known = PersonDetails(
        name_km="យឹម ចន្ថា",
        name_latin="Yim Chantha",
        sex="female",
        date_of_birth=date(1988, 8, 8),
        id_kind="none",
        id_number="",
        village_code="17010101",
    )
    register_person(session, known, actor=user(session, "ca.charchhuk"))
    sign_in(client, "nssf.reg.siemreap", locale="km")
    worker = {
        "national_id": "170777001",
        "name_km": "យឹម ចន្ថា",
        "name_latin": "Yim Chanta",
        "sex": "female",
        "date_of_birth": "1988-08-08",
        "village": "17010101",
    }
    response = post(client, "/nssf/members/self-employed", worker)
    assert response.status_code == 422
    assert "ប្រហែលជាមាននៅក្នុងបញ្ជីរួចហើយ" in response.get_data(as_text=True)


def test_the_report_exports_csv_and_a_spreadsheet_without_formulas(client):
    sign_in(client, "nssf.hq")
    csv_response = client.get("/nssf/report?format=csv")
    assert csv_response.status_code == 200 and csv_response.data.startswith(b"period,province")
    xlsx = client.get("/nssf/report?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(1, 1).value == "period"
    assert not any(str(c.value).startswith("=") for row in sheet.iter_rows() for c in row if c.value)


def test_the_task_page_refuses_a_fine_decided_by_the_officer_who_proposed_it(client, session, process_engine):

    from tests.factories import drain_jobs, user
    from webapp.domain.cases import Case
    from webapp.domain.people import RoleName
    from webapp.domain.sla import WorkflowTimer
    from webapp.domain.tasks import OPEN, Task
    from webapp.services.casework.tasks import claim_task, submit_task
    from webapp.services.deadlines.sweeps import fire_case_timers
    from webapp.services.nssf.compliance import Finding, record_finding

    inspector = user(session, "nssf.insp.siemreap")
    finding = Finding(
        finding="unregistered",
        details="",
        notice_days=7,
        name_km="ហាង",
        name_latin="Shop",
        area_code="170101",
    )
    case = record_finding(
        session,
        engine=process_engine,
        actor=inspector,
        finding=finding,
        today=date(2026, 11, 27),
    )
    timer = session.scalar(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id))
    fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at + timedelta(minutes=1))
    drain_jobs(session)  # Sala checks the registration at the deadline: still unregistered
    check = session.scalar(select(Task).where(Task.case_id == case.id, Task.status == OPEN))
    claim_task(session, task_id=check.id, actor=inspector)
    submit_task(
        session,
        engine=process_engine,
        task_id=check.id,
        data={"compliance": "fine", "fine_khr": 1_000_000},
        actor=inspector,
        case_version=None,
    )
    inspector.role = RoleName.NSSF_CHIEF  # promoted since, and still the proposer
    session.flush()
    decision = session.scalar(select(Task).where(Task.case_id == case.id, Task.status == OPEN))
    sign_in(client, "nssf.insp.siemreap")
    post(client, f"/tasks/{decision.id}/claim")
    response = post(client, f"/tasks/{decision.id}", {"approval": "approve", "decision_note": ""})
    assert response.status_code == 302  # shown the task again, with the refusal
    assert session.get(Case, case.id).outcome is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "another officer must decide it" in page
