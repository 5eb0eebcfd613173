"""Grievances through the services: intake by channel, up to the committee, letters, status, bad input."""

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import TODAY, drain_jobs, user, work
from webapp.domain.cases import Case
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.grievances import Grievance, PublicSubmission
from webapp.domain.history import CaseEvent
from webapp.domain.letters import Letter
from webapp.domain.sla import WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.documents import Upload
from webapp.services.deadlines.sweeps import fire_case_timers
from webapp.services.grievances.intake import (
    PUBLIC_LIMIT,
    GrievanceIntake,
    public_status,
    record_grievance,
    submit_public_grievance,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAX = 5 * 1024 * 1024
KHMER = "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែតុលាទេ។"


def intake(**overrides: object) -> GrievanceIntake:
    base = GrievanceIntake(
        category="unsuccessful_application",
        description=KHMER,
        area_code="17010101",
        complainant_name="Sok Sreymom",
        contact="012 345 678",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def record(session, engine, username="vdc.charchhuk", **overrides):
    return record_grievance(
        session,
        engine=engine,
        actor=user(session, username),
        intake=intake(**overrides),
        today=TODAY,
        max_upload_bytes=MAX,
    )


def open_tasks(session, grievance: Grievance) -> list[tuple[str, str, str]]:
    session.expire_all()
    rows = session.scalars(select(Task).where(Task.case_id == grievance.case_id, Task.status == OPEN))
    return [(t.spec_name, t.role, t.area_code) for t in rows]


def letter_keys(session, grievance: Grievance) -> list[str]:
    drain_jobs(session)  # letters are rendered by the worker once the step has committed
    return list(
        session.scalars(select(Letter.key).where(Letter.case_id == grievance.case_id).order_by(Letter.id))
    )


def test_a_vdc_member_records_a_grievance_it_is_acknowledged_and_lands_in_the_village(
    session, process_engine
):
    recorded = record(session, process_engine)
    grievance = recorded.grievance
    assert grievance.reference.startswith("GRV-1701-2026-")
    assert (grievance.channel, grievance.level, grievance.status) == ("village", 1, "level_1")
    assert open_tasks(session, grievance) == [("answer_village", "vdc_member", "17010101")]
    assert letter_keys(session, grievance) == ["grievance_acknowledgement"]
    letter = session.scalar(select(Letter).where(Letter.case_id == grievance.case_id))
    assert recorded.status_code in letter.html and "GRV-១៧០១-២០២៦-" in letter.html
    assert recorded.status_code not in grievance.status_code_hash


def test_the_commune_cannot_resolve_it_the_cwcc_decides_and_the_vdc_informs(session, process_engine):
    grievance = record(session, process_engine).grievance
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    assert open_tasks(session, grievance) == [("answer_commune", "commune_assistant", "170101")]
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="send_up",
        decision="",
        decision_reason="The committee must look at the household list.",
    )
    assert open_tasks(session, grievance) == [("decide_cwcc", "cwcc_secretary", "1701")]
    assert (grievance.level, grievance.status, grievance.escalated_by_breach) == (2, "level_2", False)
    work(
        session,
        process_engine,
        case,
        "cwcc.ac",
        decision="upheld",
        decision_reason="The household is on the IDPoor list.",
    )
    assert (grievance.decision, grievance.decided_level, grievance.status) == ("upheld", 2, "resolved")
    assert open_tasks(session, grievance) == [("inform_complainant", "vdc_member", "17010101")]
    work(session, process_engine, case, "vdc.charchhuk", informed_on="2026-11-20", note="")
    assert grievance.status == "closed" and case.status == "closed"
    assert letter_keys(session, grievance) == [
        "grievance_acknowledgement",
        "escalation_notice",
        "grievance_decision",
    ]


def test_a_level_1_decision_letter_says_how_to_appeal_and_a_level_2_one_does_not(session, process_engine):
    grievance = record(session, process_engine, username="ca.charchhuk").grievance
    case = session.get(Case, grievance.case_id)
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="resolve",
        decision="rejected",
        decision_reason="The household does not meet the rule.",
    )
    drain_jobs(session)
    decision = session.scalar(
        select(Letter).where(Letter.case_id == case.id, Letter.key == "grievance_decision")
    )
    assert "30" in decision.fields_json and '"appeal_days": 30' in decision.fields_json
    assert grievance.decided_level == 1 and case.status == "closed"


def test_an_appeal_is_linked_to_the_original_and_starts_at_the_committee(session, process_engine):
    original = record(session, process_engine, username="ca.charchhuk").grievance
    work(
        session,
        process_engine,
        session.get(Case, original.case_id),
        "ca.charchhuk",
        level1_action="resolve",
        decision="rejected",
        decision_reason="Not eligible by the rules.",
    )
    appeal = record_grievance(
        session,
        engine=process_engine,
        actor=user(session, "ca.charchhuk"),
        intake=intake(),
        today=TODAY,
        max_upload_bytes=MAX,
        appeal_of=original,
    ).grievance
    assert appeal.appeal_of_id == original.id and appeal.level == 2
    assert open_tasks(session, appeal) == [("decide_cwcc", "cwcc_secretary", "1701")]


def test_breaching_level_1_escalates_to_the_committee_with_a_notice(session, process_engine):
    grievance = record(session, process_engine, username="ca.charchhuk").grievance
    case = session.get(Case, grievance.case_id)
    [timer] = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id)).all()
    assert timer.spec_name == "level_1_overdue"
    drain_jobs(session)
    acknowledgement = session.scalar(select(Letter).where(Letter.case_id == case.id))
    due_in_phnom_penh = (timer.due_at + timedelta(hours=7)).date().isoformat()
    assert (
        json.loads(acknowledgement.fields_json)["respond_by"] == due_in_phnom_penh
    )  # the letter keeps its word
    fired = fire_case_timers(session, engine=process_engine, case=case, now=timer.due_at)
    assert fired == ("level_1_overdue",)
    assert open_tasks(session, grievance) == [("decide_cwcc", "cwcc_secretary", "1701")]
    assert grievance.escalated_by_breach and grievance.level == 2
    assert letter_keys(session, grievance)[-1] == "escalation_notice"


def test_a_social_security_grievance_goes_to_nssf(session, process_engine):
    grievance = record(
        session, process_engine, username="nssf.siemreap", category="social_security"
    ).grievance
    assert grievance.case.process_id == "grievance_social_security"
    assert open_tasks(session, grievance) == [("resolve_at_nssf", "nssf_grievance_officer", "17")]


def test_a_service_quality_grievance_at_the_district_is_answered_by_the_inter_sector_officer(
    session, process_engine
):
    grievance = record(session, process_engine, username="iso.ac", category="service_quality").grievance
    assert open_tasks(session, grievance) == [("answer_district", "inter_sector_officer", "1701")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"category": "bribery"}, "category"),
        ({"complainant_name": ""}, "complainant_name"),
        ({"area_code": "17120101"}, "area"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(session, process_engine, overrides, field):
    before = session.scalar(select(func.count()).select_from(Grievance))
    with pytest.raises(InvalidInput) as refused:
        record(session, process_engine, **overrides)
    assert field in refused.value.errors
    assert session.scalar(select(func.count()).select_from(Grievance)) == before
    assert (
        session.scalar(select(func.count()).select_from(Case).where(Case.process_id == "grievance_ssdm")) == 0
    )


def test_an_unsupported_attachment_is_refused(session, process_engine):
    exe = Upload("attachment", "other", "x.exe", (FIXTURES / "not_a_document.exe").read_bytes())
    with pytest.raises(InvalidInput):
        record(session, process_engine, attachments=[exe])
    assert session.scalar(select(func.count()).select_from(Grievance)) == 0


def test_a_role_without_a_channel_cannot_record(session, process_engine):
    with pytest.raises(PermissionDenied):
        record(session, process_engine, username="bo.health.ac")


def test_the_public_form_is_anonymous_capable_and_rate_limited_per_address(session, process_engine):
    anonymous = intake(anonymous=True, complainant_name="", contact="", area_code="170101")
    for _ in range(PUBLIC_LIMIT):
        recorded = submit_public_grievance(
            session, engine=process_engine, intake=anonymous, client="203.0.113.9", today=TODAY
        )
    assert recorded.grievance.complainant_name is None and recorded.grievance.channel == "web"
    with pytest.raises(PermissionDenied):
        submit_public_grievance(
            session, engine=process_engine, intake=anonymous, client="203.0.113.9", today=TODAY
        )
    other = submit_public_grievance(
        session, engine=process_engine, intake=anonymous, client="198.51.100.7", today=TODAY
    )
    assert other.grievance.id
    assert "203.0.113.9" not in {row.client_hash for row in session.scalars(select(PublicSubmission))}


def test_the_status_page_needs_the_matching_code_and_reveals_nothing_else(session, process_engine):
    recorded = record(session, process_engine)
    khmer_digits = recorded.grievance.reference.translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    status = public_status(session, reference=khmer_digits, code=recorded.status_code.lower())
    assert public_status(session, reference=recorded.grievance.reference.lower(), code=recorded.status_code)
    assert status["status"] == "Being examined (level 1)" and status["level"] == 1
    assert "Sok" not in repr(status) and KHMER not in repr(status)
    with pytest.raises(NotFound) as wrong:
        public_status(session, reference=recorded.grievance.reference, code="AAAAAAAA")
    with pytest.raises(NotFound) as unknown:
        public_status(session, reference="GRV-9999-2026-00001", code=recorded.status_code)
    assert wrong.value.message == unknown.value.message


def test_resubmitting_opens_a_new_application_linked_to_the_grievance(session, process_engine):
    from tests.factories import drain_jobs, open_case, open_task

    original = open_case(session, process_engine, programme="fp_elderly", pregnant=False)
    grievance = record(
        session,
        process_engine,
        username="ca.charchhuk",
        related_reference=original.reference,
        complainant_name=original.person.name_latin,
    ).grievance
    case = session.get(Case, grievance.case_id)
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="resubmit",
        decision="",
        decision_reason="The family book was missing; the application goes in again.",
    )
    drain_jobs(session)
    session.refresh(grievance)
    new = grievance.resubmitted_case
    assert new is not None and new.id != original.id
    assert (new.person_id, new.programme_code, new.area_code) == (
        original.person_id,
        "fp_elderly",
        "17010101",
    )
    assert [d.sha256 for d in new.documents] == [d.sha256 for d in original.documents]
    assert open_task(session, new).name == "Check the documents"
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == grievance.case_id)).all()
    assert "application_resubmitted" in kinds
    opened = session.scalar(
        select(CaseEvent).where(CaseEvent.case_id == new.id, CaseEvent.kind == "case_opened")
    )
    assert json.loads(opened.after_json)["resubmitted_from"] == original.reference
    drain_jobs(session)  # running the job again opens nothing more
    assert (
        session.scalar(select(func.count()).select_from(Case).where(Case.person_id == original.person_id))
        == 2
    )
