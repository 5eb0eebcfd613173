"""Every path of the three NSSF processes: enterprise registration, member registration and compliance."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import Case
from webapp.engine import ProcessEngine, SpecRef, StepResult
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine

SATURDAY_9 = datetime(2026, 11, 28, 2, 0)  # Saturday 28 November 2026, 09:00 in Phnom Penh: NSSF is open
R, INSPECTOR, C = "nssf_registration_officer", "nssf_inspector", "nssf_chief"
REGISTRY_CHECK, ID_CHECK, COMPLIANCE_CHECK = "await_registry", "await_id_check", "await_compliance_check"


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


def answered(case: Case, step: str, data: dict[str, Any]) -> StepResult:
    return case._keep(case.engine.answer_wait(case.spec, case.state, step=step, data=data))


def ready(case: Case) -> list[tuple[str, str | None]]:
    assert case.result is not None
    return [(task.spec_name, task.lane) for task in case.result.ready_tasks]


def enterprise(nssf: Any, status: str = "found") -> Case:
    case = started(nssf, "nssf_enterprise_registration", {"registry_status": "waiting", "channel": "online"})
    assert ready(case) == []  # the case waits for the worker's check of the business registry
    answered(case, REGISTRY_CHECK, {"registry_status": status})
    return case


def test_a_verified_enterprise_goes_straight_to_review_and_is_approved(nssf):
    case = enterprise(nssf)
    assert ready(case) == [("review_application", R)]
    result = case.complete("review_application", {"decision": "approve"})
    assert result.finished and result.data["outcome"] == "approved"


def test_a_registry_check_that_never_answers_asks_the_officer_to_verify_by_hand(nssf):
    case = started(nssf, "nssf_enterprise_registration", {"registry_status": "waiting", "channel": "online"})
    [wait] = case.result.timers
    assert wait.spec_name == REGISTRY_CHECK
    case._keep(case.engine.fire_timers(case.spec, case.state, now=wait.due_at))
    assert ready(case) == [("verify_by_hand", R)]


def test_an_enterprise_the_registry_does_not_know_goes_to_review(nssf):
    assert ready(enterprise(nssf, "not_found")) == [("review_application", R)]


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
    case = started(nssf, "nssf_member_registration", {"ids_unverified": True, "member_count": 3})
    assert ready(case) == []  # the case waits for the worker's check of the ID numbers
    answered(case, ID_CHECK, {"ids_unverified": unverified})
    return case


def test_an_id_check_that_never_answers_asks_the_officer_to_check_the_cards(nssf):
    case = started(nssf, "nssf_member_registration", {"ids_unverified": True, "member_count": 3})
    [wait] = case.result.timers
    case._keep(case.engine.fire_timers(case.spec, case.state, now=wait.due_at))
    assert ready(case) == [("verify_ids_by_hand", R)]


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
    return started(
        nssf, "nssf_compliance", {"finding": "unregistered", "notice_days": 15, "registered": False}
    )


def at_deadline(case: Case) -> None:
    [timer] = case.result.timers
    case.result = case.engine.fire_timers(case.spec, case.state, now=timer.due_at)


def checked(nssf: Any, registered: bool) -> Case:
    case = inspection(nssf)
    at_deadline(case)
    answered(case, COMPLIANCE_CHECK, {"registered": registered})
    return case


def test_the_notice_deadline_counts_nssf_working_days_including_weekends(nssf):
    case = inspection(nssf)
    [timer] = case.result.timers
    # Seven-day counters, 08:30-17:30: 15 working days from Saturday 09:00 end on Sunday 13 December, 09:00.
    assert timer.due_at == datetime(2026, 12, 13, 2, 0)
    assert ready(case) == []


def test_at_the_deadline_the_case_waits_for_sala_to_check_the_registration(nssf):
    case = inspection(nssf)
    at_deadline(case)
    assert ready(case) == []
    assert [timer.spec_name for timer in case.result.timers] == [COMPLIANCE_CHECK]


def test_an_enterprise_registered_by_the_deadline_closes_as_compliant_without_the_inspector(nssf):
    result = checked(nssf, registered=True).result
    assert result.finished
    assert (result.data["outcome"], result.data["outcome_reason"]) == ("compliant", "")


def test_an_answer_to_a_case_not_waiting_for_it_changes_nothing(nssf):
    case = inspection(nssf)
    before = case.state
    result = answered(case, COMPLIANCE_CHECK, {"registered": True})
    assert result.fired_timers == () and not result.finished and result.state == before


def test_a_check_that_never_answers_leaves_the_decision_to_the_inspector(nssf):
    case = inspection(nssf)
    at_deadline(case)
    [wait] = case.result.timers
    case.result = case.engine.fire_timers(case.spec, case.state, now=wait.due_at)
    assert ready(case) == [("check_compliance", INSPECTOR)]


def test_the_inspector_may_still_find_an_unregistered_enterprise_compliant(nssf):
    case = checked(nssf, registered=False)
    assert ready(case) == [("check_compliance", INSPECTOR)]
    assert case.complete("check_compliance", {"compliance": "compliant"}).data["outcome"] == "compliant"


PROPOSALS = {
    "fine": {"compliance": "fine", "fine_khr": 4_000_000},
    "waiver": {"compliance": "waiver", "waiver_reason": "force_majeure"},
}


@pytest.mark.parametrize(("proposal", "outcome"), [("fine", "fined"), ("waiver", "waived")])
def test_a_proposal_approved_by_the_chief_decides_the_case(nssf, proposal, outcome):
    case = checked(nssf, registered=False)
    case.complete("check_compliance", PROPOSALS[proposal])
    assert ready(case) == [("approve_proposal", C)]
    assert case.complete("approve_proposal", {"approval": "approve"}).data["outcome"] == outcome


def test_a_refused_fine_goes_back_to_the_inspector_who_proposes_a_waiver_instead(nssf):
    case = checked(nssf, registered=False)
    case.complete("check_compliance", PROPOSALS["fine"])
    result = case.complete("approve_proposal", {"approval": "refuse"})
    assert not result.finished and ready(case) == [("check_compliance", INSPECTOR)]
    case.complete("check_compliance", PROPOSALS["waiver"])
    assert ready(case) == [("approve_proposal", C)]
    result = case.complete("approve_proposal", {"approval": "approve"})
    assert (result.data["outcome"], result.data["outcome_reason"]) == ("waived", "force_majeure")


def test_after_a_refusal_the_inspector_may_propose_a_fine_again(nssf):
    case = checked(nssf, registered=False)
    case.complete("check_compliance", PROPOSALS["fine"])
    case.complete("approve_proposal", {"approval": "refuse"})
    case.complete("check_compliance", {"compliance": "fine", "fine_khr": 2_000_000})
    result = case.complete("approve_proposal", {"approval": "approve"})
    assert (result.data["outcome"], result.data["fine_khr"]) == ("fined", 2_000_000)


def test_many_refusals_keep_the_inspector_s_check_visible(nssf):
    case = checked(nssf, registered=False)
    for _ in range(200):
        case.complete("check_compliance", PROPOSALS["fine"])
        case.complete("approve_proposal", {"approval": "refuse"})
    assert ready(case) == [("check_compliance", INSPECTOR)]
    assert len(case.state) < 200_000
