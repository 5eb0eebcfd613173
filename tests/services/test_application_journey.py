"""The SSDM application carried through its services, as officers' requests would."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, REJECT, open_case, open_task, user, work
from webapp.domain.cases import Document
from webapp.domain.history import CaseEvent
from webapp.domain.tasks import Task


def events(session, case):
    return [
        e.kind
        for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    ]


def test_opening_an_application_sends_it_to_the_district_ssdm_assistant(session, process_engine):
    case = open_case(session, process_engine)
    task = open_task(session, case)
    assert case.reference.startswith("APP-1701-2026-")
    assert (task.name, task.role, task.area_code) == (
        "Check the documents",
        "district_ssdm_assistant",
        "1701",
    )
    assert task.assignee_id is None and task.due_at is not None
    assert events(session, case)[:3] == ["case_opened", "document_added", "task_created"]


def test_documents_are_stored_with_their_sha256(session, process_engine):
    case = open_case(session, process_engine)
    (document,) = session.scalars(select(Document).where(Document.case_id == case.id))
    content = Path("tests/fixtures/family_book.pdf").read_bytes()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.content_type, document.size) == ("application/pdf", len(content))


def test_approved_application_is_announced_and_closed(session, process_engine):
    case = open_case(session, process_engine, programme="fp_elderly")
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    confirm = open_task(session, case)
    assert (confirm.role, confirm.name) == ("back_office_social_affairs", "Confirm the entitlement")
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    assert open_task(session, case).role == "inter_sector_officer"
    work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    session.refresh(case)
    assert (case.status, case.outcome) == ("closed", "approved")
    assert case.outcome_reason == APPROVE["justification"]
    assert events(session, case)[-1] == "case_closed"
    assert "eligibility_decided" in events(session, case)


def test_back_office_rejection_is_still_announced(session, process_engine):
    case = open_case(session, process_engine, programme="fp_elderly")
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **REJECT)
    work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    session.refresh(case)
    assert (case.status, case.outcome, case.outcome_reason) == ("closed", "rejected", REJECT["justification"])


def test_ineligible_application_closes_rejected_with_the_rule(session, process_engine):
    case = open_case(session, process_engine, programme="fp_elderly", date_of_birth=date(1990, 1, 1))
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    session.refresh(case)
    assert (case.status, case.outcome) == ("closed", "rejected")
    assert case.outcome_reason == "The applicant is younger than 60."
    assert not session.scalars(select(Task).where(Task.case_id == case.id, Task.status == "open")).all()


@pytest.mark.parametrize(
    ("programme", "role", "extra"),
    [
        ("health_equity_fund", "back_office_health", {}),
        (
            "scholarship",
            "back_office_education",
            {"enrolled_in_school": True, "date_of_birth": date(2012, 5, 1)},
        ),
        ("vocational_training", "back_office_labour", {"date_of_birth": date(2000, 5, 1)}),
        ("public_works", "back_office_rural_development", {"date_of_birth": date(1990, 5, 1)}),
    ],
)
def test_eligible_application_goes_to_the_back_office_of_its_sector(
    session, process_engine, programme, role, extra
):
    case = open_case(session, process_engine, programme=programme, **extra)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    assert open_task(session, case).role == role


def test_missing_document_goes_back_to_the_commune_and_returns(session, process_engine):
    case = open_case(session, process_engine)
    work(
        session, process_engine, case, "ssdm.ac", documents_complete="no", missing_document="id_card", note=""
    )
    back = open_task(session, case)
    assert (back.role, back.area_code, back.name) == (
        "commune_assistant",
        "170101",
        "Provide the missing document",
    )
    work(session, process_engine, case, "ca.charchhuk", document_kind="id_card", document=1, note="")
    again = open_task(session, case)
    assert again.name == "Check the documents"


def test_case_of_another_district_is_routed_to_that_district(session, process_engine):
    case = open_case(session, process_engine, actor="ca.chrouy", village_code="17120101")
    task = open_task(session, case)
    assert task.area_code == "1712"
    assert user(session, "ssdm.ss").works_on(task.role, case.area_code)
    assert not user(session, "ssdm.ac").works_on(task.role, case.area_code)
