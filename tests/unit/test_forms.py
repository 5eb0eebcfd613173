"""forms/*.yaml into FormSpec: the shipped forms load, bad definitions are refused at load time."""

from datetime import date
from pathlib import Path

import pytest

from webapp.forms import FormDefinitionError, cross_field_errors, load_form, load_forms, translatable_strings

FORMS = Path(__file__).resolve().parent.parent.parent / "forms"


def test_every_shipped_form_loads_with_its_fields():
    forms = load_forms(FORMS)
    assert set(forms) == {
        "application_intake",
        "check_documents",
        "provide_missing_document",
        "confirm_entitlement",
        "announce_result",
        "supervisor_escalation",
        "grievance_village_answer",
        "grievance_level1_answer",
        "grievance_district_answer",
        "grievance_committee_decision",
        "grievance_inform",
        "grievance_nssf_round",
        "household_referral",
        "household_registration",
        "confirm_registration",
        "correct_registration",
        "nssf_receive_documents",
        "nssf_verify_enterprise",
        "nssf_review_enterprise",
        "nssf_verify_members",
        "nssf_review_members",
        "nssf_check_compliance",
        "nssf_approve_proposal",
    }
    intake = forms["application_intake"]
    assert intake.field("programme").choices_from == "programmes"
    assert [f.name for f in intake.file_fields] == ["family_book", "birth_certificate", "id_card"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title: x\n", "'fields' list"),
        ("fields:\n  - {name: a, type: colour, label: A}\n", "unknown type colour"),
        ("fields:\n  - {name: a, type: choice, label: A}\n", "needs choices"),
        ("fields:\n  - {name: a, type: text}\n", "name, type and label"),
        ("fields:\n  - {name: a, type: text, label: A}\n  - {name: a, type: text, label: B}\n", "unique"),
        ("fields:\n  - {name: a, type: choice, label: A, choices_from: planets}\n", "unknown choices_from"),
    ],
)
def test_a_malformed_form_is_refused_with_the_reason(tmp_path, text, problem):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(FormDefinitionError, match=problem):
        load_form(path)


def test_conditional_field_is_required_only_when_its_condition_holds():
    form = load_forms(FORMS)["check_documents"]
    today = date(2026, 11, 20)
    assert cross_field_errors(form, {"documents_complete": "no", "missing_document": ""}, today) == {
        "missing_document": ["This field is required."]
    }
    assert cross_field_errors(form, {"documents_complete": "yes", "missing_document": ""}, today) == {}


def test_a_date_in_the_future_is_refused_where_the_form_says_so():
    form = load_forms(FORMS)["announce_result"]
    errors = cross_field_errors(form, {"announced_on": date(2026, 11, 21)}, date(2026, 11, 20))
    assert errors == {"announced_on": ["The date cannot be in the future."]}


def test_translatable_strings_include_inline_labels_and_choice_labels():
    strings = translatable_strings(FORMS)
    assert {"Justification", "Reject the application", "Take the application", "Poor level 1"} <= strings
