"""The checks NSSF cases wait on, run as worker jobs: the business registry and the national ID service
reached over HTTP (a local server that answers well, slowly, with garbage, or not at all), and the
registration check at a compliance notice's deadline. Whatever a service does, the case reaches a task: it
never sticks or fails."""

import json
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.factories import drain_jobs, user
from tests.services.test_nssf import (
    application,
    declare,
    members_csv,
    open_tasks,
    registered_enterprise,
    work,
)
from webapp.domain.jobs import FAILED, Job
from webapp.domain.letters import Letter
from webapp.domain.nssf import Enterprise, Member
from webapp.domain.sla import WAITING, WorkflowTimer
from webapp.services.deadlines.sweeps import fire_case_timers
from webapp.services.nssf import adapters, checks
from webapp.services.nssf.adapters.fake import fake_national_id
from webapp.services.nssf.compliance import Finding, record_finding
from webapp.services.nssf.enterprises import apply_at_office
from webapp.services.nssf.members import check_list
from webapp.services.platform.jobs import WorkerContext

TODAY = date(2026, 11, 27)
COMMUNE = "170101"


class Agency(BaseHTTPRequestHandler):
    """The business registry and the national ID service: `mode` says how they behave, `healthy` how many
    answers they give before they fail."""

    mode = "ok"
    healthy = 10_000
    calls = 0

    def do_GET(self) -> None:
        Agency.calls += 1
        if Agency.mode == "slow":
            time.sleep(0.3)
        if Agency.mode == "error" or Agency.calls > Agency.healthy:
            self._answer(500, b"")
        elif Agency.mode == "garbage":
            self._answer(200, b"<html>not json")
        elif self.path.startswith("/enterprises/"):
            self._answer(200, json.dumps(_enterprise(self.path.rsplit("/", 1)[1])).encode())
        else:
            self._answer(200, json.dumps(_person(self.path.rsplit("/", 1)[1])).encode())

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def _enterprise(number: str) -> dict[str, str]:
    return {
        "registration_number": number,
        "name_km": "ហាងកាត់ដេរ",
        "name_latin": "Sok Dara Garment Shop",
        "source": "obr",
        "registered_on": "2024-06-12",
        "province_code": "17",
        "legal_form": "sole_proprietorship",
        "activity": "garment",
    }


def _person(id_number: str) -> dict[str, str]:
    known = fake_national_id().lookup(id_number)
    assert known is not None
    return {
        "id_number": id_number,
        "name_km": known.name_km,
        "name_latin": known.name_latin,
        "sex": known.sex,
        "date_of_birth": known.date_of_birth.isoformat(),
    }


@pytest.fixture(scope="module")
def agency() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Agency)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def over_http(agency: str) -> Iterator[None]:
    Agency.mode, Agency.healthy, Agency.calls = "ok", 10_000, 0
    adapters.configure(
        adapters.AdapterSettings(
            business_registry_url=agency, national_id_url=agency, timeout_seconds=0.1, attempts=2
        )
    )
    yield
    adapters.configure(adapters.AdapterSettings())


def applied(session, process_engine, number="OBR-2024-555001"):
    officer = user(session, "nssf.reg.siemreap")
    return apply_at_office(
        session,
        engine=process_engine,
        actor=officer,
        application=application(registration_number=number),
        today=TODAY,
    )


def test_the_business_registry_is_asked_by_the_worker_and_its_answer_opens_the_review(
    session, process_engine, over_http
):
    case = applied(session, process_engine)
    assert Agency.calls == 0 and open_tasks(session, case) == []
    drain_jobs(session)
    assert open_tasks(session, case) == ["review_application"]
    enterprise = session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))
    assert enterprise.registration_source == "obr"


@pytest.mark.parametrize("mode", ["slow", "garbage", "error"])
def test_a_slow_broken_or_failing_registry_leaves_the_enterprise_to_be_verified_by_hand(
    session, process_engine, over_http, mode
):
    Agency.mode = mode
    case = applied(session, process_engine)
    drain_jobs(session)
    assert open_tasks(session, case) == ["verify_by_hand"]
    assert case.status == "open"


def test_a_registry_that_is_down_leaves_the_enterprise_to_be_verified_by_hand(session, process_engine):
    adapters.configure(
        adapters.AdapterSettings(business_registry_url="http://127.0.0.1:9", timeout_seconds=0.1)
    )
    try:
        case = applied(session, process_engine)
        drain_jobs(session)
    finally:
        adapters.configure(adapters.AdapterSettings())
    assert open_tasks(session, case) == ["verify_by_hand"]


def last_job(session, kind: str, case) -> Job:
    """The case's newest check of `kind` (other tests' jobs may share the queue)."""
    mine = Job.payload_json.contains(f'"case_id": {case.id},')
    return session.scalar(select(Job).where(Job.kind == kind, mine).order_by(Job.id.desc()).limit(1))


def wait_timer(session, case) -> WorkflowTimer:
    return session.scalar(
        select(WorkflowTimer).where(WorkflowTimer.case_id == case.id, WorkflowTimer.status == WAITING)
    )


def test_a_check_that_keeps_failing_gives_way_to_the_officer_at_the_wait_s_time_limit(
    session, process_engine, monkeypatch
):
    def broken(number: str) -> tuple[str, dict[str, str]]:
        raise RuntimeError("the check itself is broken")

    monkeypatch.setattr(checks, "verify_registration", broken)
    case = applied(session, process_engine)
    drain_jobs(session)
    job = last_job(session, checks.VERIFY_ENTERPRISE_JOB, case)
    assert job.status == FAILED and open_tasks(session, case) == []
    timer = wait_timer(session, case)
    fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at + timedelta(minutes=1))
    assert open_tasks(session, case) == ["verify_by_hand"]


def test_an_answer_that_comes_after_the_time_limit_changes_nothing(session, process_engine):
    case = applied(session, process_engine, number="")
    timer = wait_timer(session, case)
    fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at + timedelta(minutes=1))
    assert open_tasks(session, case) == ["verify_by_hand"]
    drain_jobs(session)
    assert open_tasks(session, case) == ["verify_by_hand"]
    job = last_job(session, checks.VERIFY_ENTERPRISE_JOB, case)
    assert json.loads(job.result_json) == {"answered": False}


def declared(session, process_engine, count):
    enterprise = registered_enterprise(session, process_engine)
    officer = user(session, "nssf.reg.siemreap")
    rows = [
        f"{p.id_number},{p.name_km},{p.name_latin},{p.sex},{p.date_of_birth},17010101,2026-01-05,\n"
        for p in fake_national_id().sample(40)[-count:]
    ]
    report = check_list(session, text=members_csv(rows), actor=officer)
    return declare(session, process_engine, officer, enterprise, report)


def test_a_long_list_is_checked_a_chunk_at_a_time_with_a_commit_between_chunks(
    session, process_engine, over_http, monkeypatch
):
    monkeypatch.setattr(checks, "ID_CHUNK", 2)
    case = declared(session, process_engine, 5)
    assert open_tasks(session, case) == []  # the request declared the list; no ID was asked yet
    job = last_job(session, checks.VERIFY_MEMBERS_JOB, case)
    progress: list[dict[str, int]] = []
    context = WorkerContext("tests", checkpoint=lambda done=None: progress.append(done))
    result = checks.verify_members(session, json.loads(job.payload_json), context)
    assert progress == [{"checked": 2}, {"checked": 2}, {"checked": 1}]
    assert result["checked"] == {"confirmed": 5} and Agency.calls == 5
    assert open_tasks(session, case) == ["review_members"]


def test_a_service_that_fails_mid_list_leaves_the_rest_to_a_check_by_hand(session, process_engine, over_http):
    case = declared(session, process_engine, 4)
    Agency.healthy = 2  # two answers, then server errors
    drain_jobs(session)
    results = session.scalars(select(Member.id_check).where(Member.case_id == case.id).order_by(Member.id))
    assert list(results) == ["confirmed", "confirmed", "by_hand", "by_hand"]
    assert open_tasks(session, case) == ["verify_ids_by_hand"]


def test_garbage_from_the_national_id_service_is_checked_by_hand(session, process_engine, over_http):
    case = declared(session, process_engine, 2)
    Agency.mode = "garbage"
    drain_jobs(session)
    assert open_tasks(session, case) == ["verify_ids_by_hand"]
    assert Agency.calls == 2  # one ID's two attempts; the other waits for the officer without a call


def inspection(session, process_engine, finding: Finding):
    inspector = user(session, "nssf.insp.siemreap")
    case = record_finding(session, engine=process_engine, actor=inspector, finding=finding, today=TODAY)
    timer = wait_timer(session, case)
    fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at + timedelta(minutes=1))
    assert open_tasks(session, case) == []  # at the deadline the case waits for Sala's registration check
    return case


UNREGISTERED = Finding(
    finding="unregistered",
    details="8 workers, no NSSF cards",
    notice_days=7,
    name_km="ហាងកាត់ដេរ សុខ ដារ៉ា",
    name_latin="Sok Dara Garment Shop",
    area_code=COMMUNE,
    workers_found=8,
)


def test_an_enterprise_registered_within_the_notice_closes_the_case_as_compliant(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)  # the same name, in the same commune
    case = inspection(session, process_engine, UNREGISTERED)
    drain_jobs(session)
    assert case.status == "closed" and case.outcome == "compliant" and open_tasks(session, case) == []
    letters = session.scalars(select(Letter.key).where(Letter.case_id == case.id)).all()
    assert letters == ["nssf_compliance_notice"]  # no letter: the registration certificate told it already
    checked = json.loads(last_job(session, checks.CHECK_COMPLIANCE_JOB, case).result_json)
    assert checked == {"registered": True, "answered": True} and enterprise.employer_number


def test_an_enterprise_still_unregistered_goes_to_the_inspector(session, process_engine):
    case = inspection(session, process_engine, UNREGISTERED)
    drain_jobs(session)
    assert open_tasks(session, case) == ["check_compliance"]


def test_late_contributions_sala_cannot_see_are_checked_by_the_inspector(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    finding = Finding(
        finding="late_contributions", details="", notice_days=7, employer_number=enterprise.employer_number
    )
    case = inspection(session, process_engine, finding)
    drain_jobs(session)
    assert open_tasks(session, case) == ["check_compliance"]


FINE = {"compliance": "fine", "fine_khr": 4_000_000}
WAIVER = {"compliance": "waiver", "waiver_reason": "first_offence_corrected"}


def test_a_refused_fine_returns_to_the_inspector_who_proposes_a_waiver_the_chief_approves(
    session, process_engine
):
    case = inspection(session, process_engine, UNREGISTERED)
    drain_jobs(session)
    work(session, process_engine, case, "check_compliance", FINE, "nssf.insp.siemreap")
    work(session, process_engine, case, "approve_proposal", {"approval": "refuse"}, "nssf.chief.siemreap")
    assert case.status == "open" and open_tasks(session, case) == ["check_compliance"]
    work(session, process_engine, case, "check_compliance", WAIVER, "nssf.insp.siemreap")
    work(session, process_engine, case, "approve_proposal", {"approval": "approve"}, "nssf.chief.siemreap")
    drain_jobs(session)
    assert case.outcome == "waived"
    letters = session.scalars(select(Letter.key).where(Letter.case_id == case.id).order_by(Letter.id)).all()
    assert letters == ["nssf_compliance_notice", "nssf_waiver_decision"]
