"""One test per row of programme_eligibility.dmn (hit policy FIRST), through the business rule task."""

from typing import Any

import pytest

from tests.workflows.samples import DOCUMENTS_COMPLETE, Case, applicant

NO_CARD = "The household holds no equity card."
NOT_PREGNANT_NOR_CHILD = "The applicant is neither pregnant nor a child under 2."
SCHOOL_AGE = "The applicant is not of school age for this programme."
NOT_ENROLLED = "The applicant is not enrolled in school."
WORKING_AGE = "The applicant is not of working age for this programme."
MEETS = "The applicant meets the programme's rules."


def decide(case: Case, **facts: Any) -> tuple[bool, str]:
    case.start()
    case.complete("intake", applicant(**facts))
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)
    assert "evaluate_eligibility" in result.automatic_steps
    return result.data["eligible"], result.data["eligibility_reason"]


REJECTIONS = [
    pytest.param(
        {"programme": "fp_base", "equity_card": "at_risk"},
        "The programme requires a poor level 1 or 2 equity card.",
        id="01-poverty-programme-refuses-at-risk-card",
    ),
    pytest.param(
        {"programme": "fp_disability", "equity_card": "none", "disability": True}, NO_CARD, id="02-no-card"
    ),
    pytest.param({"programme": "health_equity_fund", "equity_card": "none"}, NO_CARD, id="03-hef-no-card"),
    pytest.param(
        {"programme": "public_works", "equity_card": "none", "age": 30}, NO_CARD, id="03-pwp-no-card"
    ),
    pytest.param(
        {"programme": "fp_pregnant_child", "age": 30, "sex": "female", "pregnant": False},
        NOT_PREGNANT_NOR_CHILD,
        id="04-not-pregnant",
    ),
    pytest.param(
        {"programme": "fp_pregnant_child", "age": 30, "sex": "male", "pregnant": True},
        NOT_PREGNANT_NOR_CHILD,
        id="05-not-a-woman",
    ),
    pytest.param(
        {"programme": "fp_disability", "disability": False},
        "The applicant has no recorded disability.",
        id="06-no-disability",
    ),
    pytest.param(
        {"programme": "fp_elderly", "age": 59}, "The applicant is younger than 60.", id="07-under-60"
    ),
    pytest.param(
        {"programme": "fp_hiv", "living_with_hiv": False},
        "The applicant does not live with HIV.",
        id="08-no-hiv",
    ),
    pytest.param(
        {"programme": "scholarship", "age": 19, "enrolled_in_school": True}, SCHOOL_AGE, id="09-over-18"
    ),
    pytest.param(
        {"programme": "scholarship", "age": 5, "enrolled_in_school": True}, SCHOOL_AGE, id="09-under-6"
    ),
    pytest.param({"programme": "scholarship", "age": 10, "enrolled_in_school": False}, NOT_ENROLLED, id="10"),
    pytest.param(
        {"programme": "school_feeding", "equity_card": "none", "age": 15, "enrolled_in_school": True},
        SCHOOL_AGE,
        id="11-over-14",
    ),
    pytest.param(
        {"programme": "school_feeding", "age": 4, "enrolled_in_school": True}, SCHOOL_AGE, id="11-under-5"
    ),
    pytest.param(
        {"programme": "school_feeding", "age": 8, "enrolled_in_school": False}, NOT_ENROLLED, id="12"
    ),
    pytest.param(
        {"programme": "public_works", "equity_card": "at_risk", "age": 61}, WORKING_AGE, id="13-over-60"
    ),
    pytest.param({"programme": "public_works", "age": 17}, WORKING_AGE, id="13-under-18"),
    pytest.param(
        {"programme": "vocational_training", "equity_card": "none", "age": 46},
        "The applicant is not aged 15 to 45.",
        id="14-over-45",
    ),
    pytest.param(
        {"programme": "vocational_training", "age": 14}, "The applicant is not aged 15 to 45.", id="14-under"
    ),
    pytest.param({"programme": "cash_for_cats"}, "The programme is not known.", id="25-unknown-programme"),
]


@pytest.mark.parametrize(("facts", "reason"), REJECTIONS)
def test_rejection_rule_gives_its_own_reason(case: Case, facts: dict[str, Any], reason: str) -> None:
    assert decide(case, **facts) == (False, reason)


ADMISSIONS = [
    pytest.param(
        {"programme": "fp_pregnant_child", "sex": "female", "pregnant": True, "age": 25}, id="15-pregnant"
    ),
    pytest.param(
        {"programme": "fp_pregnant_child", "sex": "male", "age": 1, "equity_card": "poor_2"}, id="15-child"
    ),
    pytest.param({"programme": "fp_disability", "disability": True}, id="16"),
    pytest.param({"programme": "fp_elderly", "age": 60}, id="17-exactly-60"),
    pytest.param({"programme": "fp_base", "equity_card": "poor_2"}, id="18"),
    pytest.param({"programme": "fp_hiv", "living_with_hiv": True}, id="19"),
    pytest.param({"programme": "health_equity_fund", "equity_card": "at_risk"}, id="20"),
    pytest.param({"programme": "scholarship", "age": 6, "enrolled_in_school": True}, id="21-age-6"),
    pytest.param({"programme": "scholarship", "age": 18, "enrolled_in_school": True}, id="21-age-18"),
    pytest.param(
        {"programme": "school_feeding", "equity_card": "none", "age": 5, "enrolled_in_school": True}, id="22"
    ),
    pytest.param({"programme": "school_feeding", "age": 14, "enrolled_in_school": True}, id="22-age-14"),
    pytest.param({"programme": "public_works", "equity_card": "at_risk", "age": 18}, id="23-age-18"),
    pytest.param({"programme": "public_works", "equity_card": "poor_2", "age": 60}, id="23-age-60"),
    pytest.param({"programme": "vocational_training", "equity_card": "none", "age": 15}, id="24-age-15"),
    pytest.param({"programme": "vocational_training", "age": 45}, id="24-age-45"),
]


@pytest.mark.parametrize("facts", ADMISSIONS)
def test_applicant_meeting_every_rule_of_the_programme_is_eligible(case: Case, facts: dict[str, Any]) -> None:
    assert decide(case, **facts) == (True, MEETS)


def test_the_first_matching_rule_wins_so_a_missing_card_is_reported_before_age(case: Case) -> None:
    assert decide(case, programme="fp_elderly", equity_card="none", age=40) == (False, NO_CARD)


def test_a_missing_yes_no_answer_counts_as_no(case: Case) -> None:
    assert decide(case, programme="fp_disability", disability=None) == (
        False,
        "The applicant has no recorded disability.",
    )
