"""The SSDM programme application driven through each of its paths, by state strings only."""

import json

import pytest

from tests.workflows.samples import (
    ANNOUNCE,
    APPROVE,
    DOCUMENTS_COMPLETE,
    DOCUMENTS_MISSING,
    REJECT,
    Case,
    applicant,
)
from webapp.engine import SpecRef
from webapp.services.deadlines.calendars import create_process_engine


def _to_back_office(case: Case, **overrides: object) -> None:
    case.start()
    case.complete("intake", applicant(**overrides))
    case.complete("check_documents", DOCUMENTS_COMPLETE)


def test_a_new_case_offers_the_intake_to_the_commune_assistant(case: Case) -> None:
    result = case.start()

    assert [(t.spec_name, t.name, t.lane, t.form_key) for t in result.ready_tasks] == [
        ("intake", "Take the application", "commune_assistant", "application_intake")
    ]
    assert result.finished is False
    assert result.data["case_reference"] == "SR-0001"


def test_after_the_intake_the_district_checks_the_documents(case: Case) -> None:
    case.start()
    result = case.complete("intake", applicant())

    [task] = result.ready_tasks
    assert (task.spec_name, task.lane, task.form_key) == (
        "check_documents",
        "district_ssdm_assistant",
        "check_documents",
    )
    assert task.properties == {"formKey": "check_documents", "slaTarget": "P5D"}
    assert result.data["programme"] == "fp_base"


def test_eligible_application_approved_by_the_back_office_is_announced_and_finished(case: Case) -> None:
    _to_back_office(case)
    assert case.task("confirm_social_affairs").lane == "back_office_social_affairs"
    result = case.complete("confirm_social_affairs", APPROVE)

    [announce] = result.ready_tasks
    assert (announce.spec_name, announce.lane, announce.form_key) == (
        "announce_result",
        "inter_sector_officer",
        "announce_result",
    )
    assert result.automatic_steps == ("record_decision",)
    assert (result.data["outcome"], result.data["outcome_reason"]) == ("approved", "All rules are met.")

    result = case.complete("announce_result", ANNOUNCE)

    assert result.finished is True
    assert result.ready_tasks == ()
    assert case.automatic_steps == ["evaluate_eligibility", "record_decision"]
    expected = {
        "programme": "fp_base",
        "eligible": True,
        "eligibility_reason": "The applicant meets the programme's rules.",
        "decision": "approve",
        "benefit_start": "2025-02-01",
        "outcome": "approved",
        "outcome_reason": "All rules are met.",
        "announced_on": "2025-02-10",
        "announcement_place": "Commune hall",
    }
    assert {key: result.data[key] for key in expected} == expected


def test_the_eligibility_step_reports_its_decision(case: Case) -> None:
    case.start()
    case.complete("intake", applicant())
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)

    assert result.automatic_steps == ("evaluate_eligibility",)
    assert result.data["eligible"] is True
    assert result.data["eligibility_reason"] == "The applicant meets the programme's rules."


@pytest.mark.parametrize(
    ("sector", "facts", "task_name", "lane"),
    [
        ("social_affairs", {"programme": "fp_base"}, "confirm_social_affairs", "back_office_social_affairs"),
        ("health", {"programme": "health_equity_fund"}, "confirm_health", "back_office_health"),
        (
            "education",
            {"programme": "school_feeding", "age": 9, "enrolled_in_school": True},
            "confirm_education",
            "back_office_education",
        ),
        ("labour", {"programme": "vocational_training", "age": 20}, "confirm_labour", "back_office_labour"),
        (
            "rural_development",
            {"programme": "public_works", "age": 40},
            "confirm_rural_development",
            "back_office_rural_development",
        ),
    ],
)
def test_each_sector_reaches_its_own_back_office_which_can_reject(
    case: Case, sector: str, facts: dict[str, object], task_name: str, lane: str
) -> None:
    _to_back_office(case, sector=sector, **facts)

    [task] = case.engine.ready_tasks(case.spec, case.state)
    assert (task.spec_name, task.name, task.lane, task.form_key) == (
        task_name,
        "Confirm the entitlement",
        lane,
        "confirm_entitlement",
    )

    result = case.complete(task_name, REJECT)
    assert (result.data["outcome"], result.data["outcome_reason"]) == (
        "rejected",
        "The household left the commune.",
    )
    result = case.complete("announce_result", ANNOUNCE)

    assert result.finished is True
    assert result.data["outcome"] == "rejected"


def test_an_unknown_sector_goes_to_the_social_affairs_back_office(case: Case) -> None:
    _to_back_office(case, sector="fisheries")

    assert [task.spec_name for task in case.engine.ready_tasks(case.spec, case.state)] == [
        "confirm_social_affairs"
    ]


def test_an_ineligible_application_is_rejected_with_the_decision_reason(case: Case) -> None:
    case.start()
    case.complete("intake", applicant(programme="fp_elderly", age=59))
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)

    assert result.finished is True
    assert result.ready_tasks == ()
    assert result.automatic_steps == ("evaluate_eligibility", "record_rejection")
    assert result.data["eligible"] is False
    assert result.data["outcome"] == "rejected"
    assert result.data["outcome_reason"] == "The applicant is younger than 60."


def test_a_missing_document_goes_back_to_the_commune_assistant(case: Case) -> None:
    case.start()
    case.complete("intake", applicant())
    result = case.complete("check_documents", DOCUMENTS_MISSING)

    [task] = result.ready_tasks
    assert (task.spec_name, task.name, task.lane, task.form_key) == (
        "provide_missing_document",
        "Provide the missing document",
        "commune_assistant",
        "provide_missing_document",
    )
    assert result.data["missing_document"] == "id_card"

    result = case.complete(
        "provide_missing_document", {"document_kind": "id_card", "document": 41, "note": ""}
    )
    [task] = result.ready_tasks
    assert (task.spec_name, task.lane) == ("check_documents", "district_ssdm_assistant")
    assert result.data["document"] == 41


def test_an_unexpected_answer_to_the_document_check_sends_the_file_back(case: Case) -> None:
    case.start()
    case.complete("intake", applicant())
    result = case.complete("check_documents", {"documents_complete": "maybe", "note": ""})

    assert [task.spec_name for task in result.ready_tasks] == ["provide_missing_document"]


@pytest.mark.parametrize("rounds", [50, 200])
def test_the_document_loop_runs_many_rounds_and_the_state_stays_small(case: Case, rounds: int) -> None:
    case.start()
    case.complete("intake", applicant())
    first_round_size = 0
    for round_number in range(rounds):
        case.complete("check_documents", DOCUMENTS_MISSING)
        case.complete(
            "provide_missing_document", {"document_kind": "id_card", "document": round_number, "note": ""}
        )
        first_round_size = first_round_size or len(case.state)
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)
    size_after_loop = len(result.state)
    case.complete("confirm_social_affairs", APPROVE)
    result = case.complete("announce_result", ANNOUNCE)

    print(
        f"{rounds} rounds: state {first_round_size} bytes after one round, {size_after_loop} after the loop"
    )
    assert result.finished is True
    assert result.data["document"] == rounds - 1
    assert result.data["outcome"] == "approved"
    # Finished rounds are pruned: the state grows by a task id per round, not by a subprocess per round.
    assert size_after_loop < 100_000
    assert size_after_loop - first_round_size < 60 * rounds


def test_the_state_holds_no_spec_and_a_fresh_engine_continues_the_case(case: Case, ssdm: SpecRef) -> None:
    case.start()
    case.complete("intake", applicant())
    stored = json.loads(case.state)
    assert "spec" not in stored
    assert "subprocess_specs" not in stored

    fresh = create_process_engine()
    [task] = fresh.ready_tasks(ssdm, case.state)
    result = fresh.complete_task(ssdm, case.state, task.id, DOCUMENTS_COMPLETE, lane=task.lane or "")

    assert [t.spec_name for t in result.ready_tasks] == ["confirm_social_affairs"]
