"""Previewing and moving running cases to a newer version, and moving them back until they move on."""

import pytest
from sqlalchemy import select

from tests.factories import APPROVE, DOCUMENTS_OK, open_case, open_task, user, work
from tests.publishing_samples import APPLICATION, with_renamed_check, with_review_step
from webapp.domain.errors import DomainError, NotFound, PermissionDenied
from webapp.domain.history import CaseEvent
from webapp.domain.publishing import CaseMigration, WorkflowEvent
from webapp.forms import load_forms
from webapp.services.casework.versions import latest_version
from webapp.services.processes import case_migration, publishing
from webapp.settings import PROJECT_ROOT

FORMS = load_forms(PROJECT_ROOT / "forms")


def _publish(session, engine, bpmn: bytes):
    actor = user(session, "admin")
    draft = publishing.start_draft(session, version_id=latest_version(session, APPLICATION).id, actor=actor)
    publishing.save_draft(session, draft_id=draft.id, bpmn_xml=bpmn.decode(), change_note="", actor=actor)
    outcome = publishing.publish_draft(session, engine=engine, forms=FORMS, draft_id=draft.id, actor=actor)
    assert outcome.version is not None, outcome.problems
    return outcome.version


def _preview(session, engine, version, username="sup.ac"):
    moves = case_migration.preview_migration(
        session, engine=engine, version_id=version.id, actor=user(session, username)
    )
    return {move.case.id: move for move in moves}


def test_preview_says_which_cases_can_move_and_why_not(session, process_engine):
    at_check = open_case(session, process_engine)
    at_confirmation = open_case(session, process_engine)
    work(session, process_engine, at_confirmation, "ssdm.ac", **DOCUMENTS_OK)
    renamed = _publish(session, process_engine, with_renamed_check())
    moves = _preview(session, process_engine, renamed)
    assert moves[at_check.id].missing[0] == "check_documents"  # then its deadline timers' split
    assert not moves[at_confirmation.id].possible  # its history holds the old step


def test_preview_shows_only_cases_of_the_supervisors_district(session, process_engine):
    theirs = open_case(session, process_engine, actor="ca.chrouy", village_code="17120101")
    mine = open_case(session, process_engine)
    moves = _preview(session, process_engine, _publish(session, process_engine, with_review_step()))
    assert mine.id in moves and theirs.id not in moves


def test_a_moved_case_reaches_the_new_step_and_can_be_moved_back_until_it_moves_on(session, process_engine):
    case = open_case(session, process_engine)
    old_version = case.workflow_version_id
    old_number = case.workflow_version.version
    reviewed = _publish(session, process_engine, with_review_step())
    actor = user(session, "sup.ac")
    (record,) = case_migration.migrate_cases(
        session, engine=process_engine, version_id=reviewed.id, case_ids=[case.id], actor=actor
    )
    assert (record.from_version_id, record.to_version_id) == (old_version, reviewed.id)
    assert case.workflow_version_id == reviewed.id
    assert open_task(session, case).spec_name == "check_documents"  # the same task row, still open
    case_migration.revert_migration(session, engine=process_engine, migration_id=record.id, actor=actor)
    assert case.workflow_version_id == old_version and record.reverted_at is not None
    (again,) = case_migration.migrate_cases(
        session, engine=process_engine, version_id=reviewed.id, case_ids=[case.id], actor=actor
    )
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    with pytest.raises(DomainError, match="moved on"):
        case_migration.revert_migration(session, engine=process_engine, migration_id=again.id, actor=actor)
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    assert open_task(session, case).spec_name == "review_decision"
    kinds = session.scalars(select(WorkflowEvent.kind).where(WorkflowEvent.process_id == APPLICATION)).all()
    assert kinds.count("case_migrated") == 2 and kinds.count("migration_reverted") == 1
    timeline = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind.like("%migrat%"))
        .order_by(CaseEvent.id)
    ).all()
    assert [(e.kind, e.before_json, e.after_json) for e in timeline] == [
        ("case_migrated", f'{{"version": {old_number}}}', f'{{"version": {reviewed.version}}}'),
        ("migration_reverted", f'{{"version": {reviewed.version}}}', f'{{"version": {old_number}}}'),
        ("case_migrated", f'{{"version": {old_number}}}', f'{{"version": {reviewed.version}}}'),
    ]


def test_a_case_that_cannot_move_is_refused_and_stays(session, process_engine):
    case = open_case(session, process_engine)
    renamed = _publish(session, process_engine, with_renamed_check())
    with pytest.raises(DomainError, match="cannot move"):
        case_migration.migrate_cases(
            session,
            engine=process_engine,
            version_id=renamed.id,
            case_ids=[case.id],
            actor=user(session, "sup.ac"),
        )
    assert case.workflow_version_id != renamed.id
    assert session.scalar(select(CaseMigration).where(CaseMigration.case_id == case.id)) is None


def test_a_case_of_another_district_cannot_be_moved(session, process_engine):
    theirs = open_case(session, process_engine, actor="ca.chrouy", village_code="17120101")
    reviewed = _publish(session, process_engine, with_review_step())
    with pytest.raises(NotFound):
        case_migration.migrate_cases(
            session,
            engine=process_engine,
            version_id=reviewed.id,
            case_ids=[theirs.id],
            actor=user(session, "sup.ac"),
        )


def test_officers_cannot_preview_or_migrate(session, process_engine):
    reviewed = _publish(session, process_engine, with_review_step())
    with pytest.raises(PermissionDenied):
        _preview(session, process_engine, reviewed, "ssdm.ac")
