"""Moving a running case to a newer version on the real engine: before, at and after the changed step."""

import json

import pytest

from tests.publishing_samples import APPLICATION, shipped_files, with_renamed_check, with_review_step
from tests.workflows.samples import (
    ANNOUNCE,
    APPROVE,
    DOCUMENTS_COMPLETE,
    DOCUMENTS_MISSING,
    Case,
    applicant,
)
from webapp.engine import ProcessEngine, SpecRef
from webapp.engine.migration import check_migration, migrate_state


def _ref(engine: ProcessEngine, bpmn: bytes) -> SpecRef:
    deployed = engine.deploy(APPLICATION, {**shipped_files(), f"{APPLICATION}.bpmn": bpmn})
    return SpecRef(deployed.content_hash, deployed.spec_json)


@pytest.fixture(scope="module")
def reviewed(engine: ProcessEngine) -> SpecRef:
    return _ref(engine, with_review_step())


def _moved(case: Case, target: SpecRef) -> Case:
    result = migrate_state(case.engine, target, case.state)
    assert case.result is not None
    assert [t.id for t in result.ready_tasks] == [t.id for t in case.result.ready_tasks]
    moved = Case(case.engine, target)
    moved._keep(result)
    return moved


def _ready(case: Case) -> list[str]:
    assert case.result is not None
    return [task.spec_name for task in case.result.ready_tasks]


def _to_confirmation(case: Case) -> None:
    case.start()
    case.complete("intake", applicant())
    case.complete("check_documents", DOCUMENTS_COMPLETE)


def test_a_case_before_the_new_step_reaches_it_after_moving(case: Case, reviewed: SpecRef) -> None:
    case.start()
    case.complete("intake", applicant())
    moved = _moved(case, reviewed)
    moved.complete("check_documents", DOCUMENTS_COMPLETE)
    moved.complete("confirm_social_affairs", APPROVE)
    assert _ready(moved) == ["review_decision"]
    moved.complete("review_decision", DOCUMENTS_COMPLETE)
    result = moved.complete("announce_result", ANNOUNCE)
    assert result.finished and result.data["outcome"] == "approved"


def test_a_case_at_the_step_before_the_change_goes_through_the_new_step(
    case: Case, reviewed: SpecRef
) -> None:
    _to_confirmation(case)
    moved = _moved(case, reviewed)
    assert _ready(moved) == ["confirm_social_affairs"]
    moved.complete("confirm_social_affairs", APPROVE)
    assert _ready(moved) == ["review_decision"]


def test_a_case_after_the_changed_step_finishes_without_it(case: Case, reviewed: SpecRef) -> None:
    _to_confirmation(case)
    case.complete("confirm_social_affairs", APPROVE)
    moved = _moved(case, reviewed)
    assert _ready(moved) == ["announce_result"]
    result = moved.complete("announce_result", ANNOUNCE)
    assert result.finished and result.data["outcome"] == "approved"
    assert "review_decision" not in json.dumps(json.loads(result.state)["tasks"])


def test_moving_to_the_same_diagram_changes_nothing_that_matters(case: Case) -> None:
    _to_confirmation(case)
    moved = _moved(case, case.spec)
    assert moved.complete("confirm_social_affairs", APPROVE).ready_tasks[0].spec_name == "announce_result"


def test_a_case_waiting_at_a_step_the_new_version_lacks_cannot_move(
    case: Case, engine: ProcessEngine
) -> None:
    case.start()
    case.complete("intake", applicant())
    renamed = _ref(engine, with_renamed_check())
    missing = check_migration(engine, renamed, case.state).missing
    # The check's deadline timers are attached to it and go missing with it.
    assert "check_documents" in missing
    assert all(name.startswith("check_documents") for name in missing)
    with pytest.raises(ValueError, match="check_documents"):
        migrate_state(engine, renamed, case.state)


def test_a_case_past_the_renamed_step_cannot_move_either(case: Case, engine: ProcessEngine) -> None:
    # Its history holds the old step: the new version could not give it back.
    _to_confirmation(case)
    assert not check_migration(engine, _ref(engine, with_renamed_check()), case.state).possible


def test_a_case_before_the_renamed_step_can_move_and_reaches_the_new_one(
    case: Case, engine: ProcessEngine
) -> None:
    case.start()
    renamed = _ref(engine, with_renamed_check())
    assert check_migration(engine, renamed, case.state).possible
    moved = _moved(case, renamed)
    moved.complete("intake", applicant())
    assert _ready(moved) == ["verify_documents"]


def test_a_case_in_a_later_round_of_the_document_loop_moves_and_finishes_on_the_new_version(
    case: Case, reviewed: SpecRef
) -> None:
    case.start()
    case.complete("intake", applicant())
    case.complete("check_documents", DOCUMENTS_MISSING)
    moved = _moved(case, reviewed)
    assert _ready(moved) == ["provide_missing_document"]
    moved.complete("provide_missing_document", {"document_kind": "id_card", "document": 41, "note": ""})
    moved.complete("check_documents", DOCUMENTS_COMPLETE)
    moved.complete("confirm_social_affairs", APPROVE)
    moved.complete("review_decision", DOCUMENTS_COMPLETE)
    assert moved.complete("announce_result", ANNOUNCE).finished
