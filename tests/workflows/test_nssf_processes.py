"""Every path of the three NSSF processes: enterprise registration, member registration and compliance."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import Case
from webapp.engine import ProcessEngine, SpecRef
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine

SATURDAY_9 = datetime(2026, 11, 28, 2, 0)  # Saturday 28 November 2026, 09:00 in Phnom Penh: NSSF is open
R, INSPECTOR, C = "nssf_registration_officer", "nssf_inspector", "nssf_chief"


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def nssf() -> Iterator[tuple[ProcessEngine, dict[str, SpecRef]]]:
    engine = create_process_engine(CalendarBook(clock=FrozenClock(SATURDAY_9)))
    specs = {
        p.process_id: SpecRef(p.content_hash, p.spec_json)
        for p in engine.read_directory(WORKFLOWS)
        if p.process_id.startswith("nssf_")
    }
    yield engine, specs


def started(nssf: tuple[ProcessEngine, dict[str, SpecRef]], process_id: str, data: dict[str, Any]) -> Case:
    engine, specs = nssf
    case = Case(engine, specs[process_id])
    case.start(data)
    return case


def ready(case: Case) -> list[tuple[str, str | None]]:
    assert case.result is not None
    return [(task.spec_name, task.lane) for task in case.result.ready_tasks]


def enterprise(nssf: Any, status: str = "found") -> Case:
    return started(nssf, "nssf_enterprise_registration", {"registry_status": status, "channel": "online"})


def test_a_verified_enterprise_goes_straight_to_review_and_is_approved(nssf):
    case = enterprise(nssf)
    assert ready(case) == [("review_application", R)]
    result = case.complete("review_application", {"decision": "approve"})
    assert result.finished and result.data["outcome"] == "approved"


def test_a_registry_that_did_not_answer_asks_the_officer_to_verify_by_hand(nssf):
    case = enterprise(nssf, "unavailable")
    assert ready(case) == [("verify_by_hand", R)]
    case.complete("verify_by_hand", {"registry_status": "not_found"})
    assert ready(case) == [("review_application", R)]


def test_asking_for_documents_waits_for_them_then_reviews_again_and_rejects(nssf):
    case = enterprise(nssf)
    case.complete("review_application", {"decision": "more_documents", "missing_documents": "ID card"})
    assert ready(case) == [("receive_documents", R)]
    case.complete("receive_documents", {"note": "brought"})
    assert ready(case) == [("review_application", R)]
    result = case.complete("review_application", {"decision": "reject", "reason": "Closed business."})
    assert result.finished
    assert (result.data["outcome"], result.data["outcome_reason"]) == ("rejected", "Closed business.")


def test_many_requests_for_documents_keep_the_review_visible(nssf):
    case = enterprise(nssf)
    for _ in range(200):
        case.complete("review_application", {"decision": "more_documents", "missing_documents": "x"})
        case.complete("receive_documents", {"note": ""})
    assert ready(case) == [("review_application", R)]
    assert len(case.state) < 200_000


def members(nssf: Any, unverified: bool) -> Case:
    return started(nssf, "nssf_member_registration", {"ids_unverified": unverified, "member_count": 3})


def test_members_with_confirmed_ids_are_reviewed_and_approved(nssf):
    case = members(nssf, False)
    assert ready(case) == [("review_members", R)]
    assert case.complete("review_members", {"decision": "approve"}).data["outcome"] == "approved"


def test_unconfirmed_ids_are_checked_by_hand_before_the_review(nssf):
    case = members(nssf, True)
    assert ready(case) == [("verify_ids_by_hand", R)]
    case.complete("verify_ids_by_hand", {"ids_confirmed": "yes"})
    assert ready(case) == [("review_members", R)]
    result = case.complete("review_members", {"decision": "reject", "reason": "Not employees."})
    assert (result.data["outcome"], result.data["outcome_reason"]) == ("rejected", "Not employees.")


def test_ids_that_do_not_match_reject_the_declaration(nssf):
    case = members(nssf, True)
    result = case.complete("verify_ids_by_hand", {"ids_confirmed": "no"})
    assert result.finished and result.data["outcome"] == "rejected"


def inspection(nssf: Any) -> Case:
    return started(nssf, "nssf_compliance", {"finding": "unregistered", "notice_days": 15})


def at_deadline(case: Case) -> None:
    [timer] = case.result.timers
    case.result = case.engine.fire_timers(case.spec, case.state, now=timer.due_at)


def test_the_notice_deadline_counts_nssf_working_days_including_weekends(nssf):
    case = inspection(nssf)
    [timer] = case.result.timers
    # Seven-day counters, 08:30-17:30: 15 working days from Saturday 09:00 end on Sunday 13 December, 09:00.
    assert timer.due_at == datetime(2026, 12, 13, 2, 0)
    assert ready(case) == []


def test_an_enterprise_that_complied_by_the_deadline_closes_the_case(nssf):
    case = inspection(nssf)
    at_deadline(case)
    assert ready(case) == [("check_compliance", INSPECTOR)]
    assert case.complete("check_compliance", {"compliance": "compliant"}).data["outcome"] == "compliant"


@pytest.mark.parametrize(
    ("proposal", "approval", "outcome"),
    [("fine", "approve", "fined"), ("waiver", "approve", "waived"), ("fine", "refuse", "refused")],
)
def test_a_proposal_is_decided_by_the_chief(nssf, proposal, approval, outcome):
    case = inspection(nssf)
    at_deadline(case)
    facts = {"compliance": proposal, "fine_khr": 4_000_000, "waiver_reason": "force_majeure"}
    case.complete("check_compliance", facts)
    assert ready(case) == [("approve_proposal", C)]
    assert case.complete("approve_proposal", {"approval": approval}).data["outcome"] == outcome
