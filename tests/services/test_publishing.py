"""Drafts, publishing, export and diff: who may, what gets stored, what new and running cases use."""

import json

import pytest
from sqlalchemy import func, select

from tests.factories import APPROVE, DOCUMENTS_OK, open_case, open_task, user, work
from tests.publishing_samples import APPLICATION, with_review_step
from webapp.domain.errors import DomainError, InvalidInput, PermissionDenied
from webapp.domain.publishing import DRAFT_PUBLISHED, WorkflowEvent
from webapp.domain.workflows import WorkflowVersion
from webapp.forms import load_forms
from webapp.services.casework.versions import latest_version
from webapp.services.processes import publishing
from webapp.services.processes.deployment import deploy_directory
from webapp.settings import PROJECT_ROOT

FORMS = load_forms(PROJECT_ROOT / "forms")


def _draft(session, username: str = "sup.ac"):
    shipped = latest_version(session, APPLICATION)
    return publishing.start_draft(session, version_id=shipped.id, actor=user(session, username))


def _publish(session, engine, draft, username: str = "sup.ac"):
    return publishing.publish_draft(
        session, engine=engine, forms=FORMS, draft_id=draft.id, actor=user(session, username)
    )


def _events(session, kind: str) -> int:
    return session.scalar(select(func.count()).select_from(WorkflowEvent).where(WorkflowEvent.kind == kind))


@pytest.mark.parametrize("username", ["ssdm.ac", "ca.charchhuk", "bo.social.ac"])
def test_only_supervisors_and_administrators_edit_processes(session, username):
    with pytest.raises(PermissionDenied):
        _draft(session, username)


def test_a_district_supervisor_proposes_a_draft_but_only_a_process_owner_publishes_or_withdraws(
    session, process_engine
):
    draft = _draft(session, "sup.ss")  # Srei Snam's supervisor is no process owner
    publishing.save_draft(
        session,
        draft_id=draft.id,
        bpmn_xml=with_review_step().decode(),
        change_note="Proposed by the district",
        actor=user(session, "sup.ss"),
    )
    with pytest.raises(PermissionDenied):
        _publish(session, process_engine, draft, "sup.ss")
    serving = latest_version(session, APPLICATION)
    with pytest.raises(PermissionDenied):
        publishing.withdraw_version(session, version_id=serving.id, actor=user(session, "sup.ss"))
    outcome = _publish(session, process_engine, draft, "sup.ac")  # the named process owner
    assert outcome.version is not None and outcome.problems == ()


def test_a_published_draft_serves_new_cases_while_running_cases_keep_their_version(session, process_engine):
    running = open_case(session, process_engine)
    shipped = running.workflow_version
    draft = _draft(session, "admin")
    publishing.save_draft(
        session,
        draft_id=draft.id,
        bpmn_xml=with_review_step().decode(),
        change_note="The district reviews every decision",
        actor=user(session, "admin"),
    )
    outcome = _publish(session, process_engine, draft, "admin")
    assert outcome.problems == () and outcome.version is not None
    new = outcome.version
    assert (new.version, new.parent_version_id, new.change_note) == (
        shipped.version + 1,
        shipped.id,
        "The district reviews every decision",
    )
    assert draft.status == DRAFT_PUBLISHED and draft.published_version_id == new.id
    assert latest_version(session, APPLICATION).id == new.id
    assert running.workflow_version_id == shipped.id
    newer = open_case(session, process_engine)
    assert newer.workflow_version_id == new.id
    work(session, process_engine, newer, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, newer, "bo.social.ac", **APPROVE)
    assert open_task(session, newer).spec_name == "review_decision"
    work(session, process_engine, running, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, running, "bo.social.ac", **APPROVE)
    assert open_task(session, running).spec_name == "announce_result"
    assert _events(session, "version_published") == 1


def test_a_refused_publish_lists_problems_and_stores_nothing(session, process_engine):
    before = session.scalar(select(func.count()).select_from(WorkflowVersion))
    draft = _draft(session)
    broken = (
        with_review_step()
        .decode()
        .replace(
            'value="check_documents" />\n          <spiffworkflow:property name="slaTarget" value="P2D"',
            'value="no_such_form" />\n          <spiffworkflow:property name="slaTarget" value="P2D"',
        )
    )
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=broken, change_note="", actor=user(session, "sup.ac")
    )
    outcome = _publish(session, process_engine, draft)
    assert outcome.version is None
    assert [(p.element_id, p.message % p.params) for p in outcome.problems] == [
        ("review_decision", "The form no_such_form does not exist.")
    ]
    assert session.scalar(select(func.count()).select_from(WorkflowVersion)) == before
    refused = session.scalar(select(WorkflowEvent).where(WorkflowEvent.kind == "publish_refused"))
    assert "no_such_form" in refused.detail_json


def test_publishing_an_unchanged_diagram_is_refused(session, process_engine):
    outcome = _publish(session, process_engine, _draft(session))
    assert outcome.version is None
    assert "nothing new to publish" in outcome.problems[0].message


def test_a_published_draft_cannot_be_saved_or_published_again(session, process_engine):
    draft = _draft(session)
    actor = user(session, "sup.ac")
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=with_review_step().decode(), change_note="", actor=actor
    )
    assert _publish(session, process_engine, draft).version is not None
    with pytest.raises(InvalidInput):
        publishing.save_draft(session, draft_id=draft.id, bpmn_xml="<x/>", change_note="", actor=actor)
    with pytest.raises(InvalidInput):
        _publish(session, process_engine, draft)


def test_a_huge_draft_is_not_stored(session):
    draft = _draft(session)
    with pytest.raises(InvalidInput):
        publishing.save_draft(
            session,
            draft_id=draft.id,
            bpmn_xml="<a>" + "x" * (3 * 1024 * 1024) + "</a>",
            change_note="",
            actor=user(session, "sup.ac"),
        )


def test_export_gives_the_bpmn_file_and_is_audited(session):
    version = latest_version(session, APPLICATION)
    name, data = publishing.export_version(session, version_id=version.id, actor=user(session, "sup.ss"))
    assert name == f"{APPLICATION}.bpmn"
    assert data.decode() == json.loads(version.files_json)[name]
    assert _events(session, "version_exported") == 1


def test_diff_names_added_and_changed_elements(session, process_engine):
    shipped = latest_version(session, APPLICATION)
    draft = _draft(session)
    actor = user(session, "sup.ac")
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=with_review_step().decode(), change_note="", actor=actor
    )
    new = _publish(session, process_engine, draft).version
    diff = publishing.diff_versions(session, old_id=shipped.id, new_id=new.id, actor=actor)
    assert {c.element_id for c in diff.added} == {"review_decision", "flow_review_to_announce"}
    assert {c.element_id for c in diff.changed} >= {"flow_to_announce_result"}
    assert diff.removed == ()


def test_withdrawing_the_serving_version_sends_new_cases_back_to_the_previous_one(session, process_engine):
    shipped = latest_version(session, APPLICATION)
    actor = user(session, "sup.ac")
    draft = _draft(session)
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=with_review_step().decode(), change_note="", actor=actor
    )
    new = _publish(session, process_engine, draft).version
    on_new = open_case(session, process_engine)
    publishing.withdraw_version(session, version_id=new.id, actor=actor)
    assert new.status == "archived" and latest_version(session, APPLICATION).id == shipped.id
    assert open_case(session, process_engine).workflow_version_id == shipped.id
    assert on_new.workflow_version_id == new.id
    assert _events(session, "version_withdrawn") == 1
    with pytest.raises(DomainError, match="only published version"):
        publishing.withdraw_version(session, version_id=shipped.id, actor=actor)
    with pytest.raises(DomainError, match="serves new cases"):
        publishing.withdraw_version(session, version_id=new.id, actor=actor)


def test_validating_a_draft_checks_letters_against_the_letter_templates(session, process_engine):
    actor = user(session, "sup.ac")
    draft = _draft(session)
    form = '<spiffworkflow:property name="formKey" value="announce_result" />'
    letter = '<spiffworkflow:property name="letter" value="%s" />' + form
    for key, expected in (
        ("application_result", []),
        ("love_letter", ["The letter love_letter does not exist."]),
    ):
        xml = _shipped_xml(draft).replace(
            '<spiffworkflow:property name="formKey" value="announce_result" />', letter % key
        )
        publishing.save_draft(session, draft_id=draft.id, bpmn_xml=xml, change_note="", actor=actor)
        problems = publishing.validate_draft(
            session, engine=process_engine, forms=FORMS, draft_id=draft.id, actor=actor
        )
        assert [p.message % p.params for p in problems] == expected


def _shipped_xml(draft) -> str:
    assert 'value="announce_result"' in draft.bpmn_xml
    return draft.bpmn_xml


def test_a_draft_publishes_with_the_decision_tables_of_the_serving_version(session, process_engine, tmp_path):
    actor = user(session, "sup.ac")
    draft = _draft(session)  # started before a release changes the decision table
    released = tmp_path / "workflows"
    released.mkdir()
    for source in (PROJECT_ROOT / "workflows").glob("*.*"):
        (released / source.name).write_bytes(source.read_bytes())
    dmn = released / "programme_eligibility.dmn"
    changed = dmn.read_text().replace("The applicant is younger than 60.", "The applicant is under 60.")
    assert changed != dmn.read_text()
    dmn.write_text(changed)
    deploy_directory(session, engine=process_engine, directory=released)
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=with_review_step().decode(), change_note="", actor=actor
    )
    new = _publish(session, process_engine, draft).version
    assert "The applicant is under 60." in json.loads(new.files_json)["programme_eligibility.dmn"]


def test_an_sla_target_that_is_not_a_working_duration_is_refused(session, process_engine):
    draft = _draft(session)
    review = '<spiffworkflow:property name="formKey" value="check_documents" />\n          '
    bad = (
        with_review_step()
        .decode()
        .replace(
            review + '<spiffworkflow:property name="slaTarget" value="P2D"',
            review + '<spiffworkflow:property name="slaTarget" value="2 weeks"',
        )
    )
    assert bad.count("2 weeks") == 1
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=bad, change_note="", actor=user(session, "sup.ac")
    )
    outcome = _publish(session, process_engine, draft)
    assert [(p.element_id, p.message % p.params) for p in outcome.problems] == [
        ("review_decision", "The time to finish 2 weeks is not a working duration.")
    ]
