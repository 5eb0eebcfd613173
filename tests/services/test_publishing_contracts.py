"""Publishing keeps what families rely on: contracts, call cycles, imports, and starts that fail cleanly."""

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.factories import open_case, open_task, user
from tests.publishing_samples import APPLICATION, WORKFLOWS
from webapp.domain.errors import InvalidInput, PermissionDenied, ProcessStepFailed
from webapp.domain.publishing import DRAFT_PUBLISHED, WorkflowDraft, WorkflowEvent
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import RunLimitExceeded, StepFailed
from webapp.forms import load_forms
from webapp.services.applications import intake
from webapp.services.applications.contracts import APPLICATION_CONTRACT
from webapp.services.casework.cases import CaseOpening
from webapp.services.casework.cases import open_case as open_any_case
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.casework.versions import latest_version
from webapp.services.grievances.contracts import CONTRACTS as GRIEVANCE_CONTRACTS
from webapp.services.processes import importing, publishing
from webapp.settings import PROJECT_ROOT

FORMS = load_forms(PROJECT_ROOT / "forms")
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
BPMN_NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
SPIFF_NS = 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'

START_TO_END = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions {BPMN_NS} id="d" targetNamespace="x">
  <bpmn:process id="{APPLICATION}" name="SSDM programme application" isExecutable="true">
    <bpmn:startEvent id="begin" name="Begin"><bpmn:outgoing>f</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="begin" targetRef="done" />
    <bpmn:endEvent id="done" name="Done"><bpmn:incoming>f</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def one_step(
    process_id: str, *, before: str = "", first: str = "visit", form: str = "grievance_inform"
) -> str:
    """A Sala diagram: start, optional steps `before` (from `first` to `visit`), a person's task, end."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions {BPMN_NS} {SPIFF_NS} id="d" targetNamespace="x">
  <bpmn:process id="{process_id}" name="Home visit" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane" name="commune_assistant">
      <bpmn:flowNodeRef>visit</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="begin" />
    <bpmn:sequenceFlow id="f0" sourceRef="begin" targetRef="{first}" />
    {before}
    <bpmn:userTask id="visit" name="Visit the household">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="{form}" />
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="visit" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def calling(process_id: str, callee: str) -> str:
    """The call activity `again` calls `callee` before the person's task."""
    step = f"""<bpmn:callActivity id="again" name="Again" calledElement="{callee}" />
    <bpmn:sequenceFlow id="f1" sourceRef="again" targetRef="visit" />"""
    return one_step(process_id, before=step, first="again")


FAILING_SCRIPT = """<bpmn:scriptTask id="first" name="Compute the ratio">
      <bpmn:script>ratio = 1 / 0</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="first" targetRef="visit" />"""


def texts(problems) -> list[str]:
    return [p.message % p.params for p in problems]


def _import(session, engine, process_id: str, xml: str | bytes, username: str = "sup.ac"):
    data = xml.encode() if isinstance(xml, str) else xml
    return importing.import_draft(
        session,
        engine=engine,
        forms=FORMS,
        process_id=process_id,
        data=data,
        file_name=f"{process_id}.bpmn",
        actor=user(session, username),
    )


def _publish(session, engine, draft_id: int, username: str = "sup.ac"):
    return publishing.publish_draft(
        session, engine=engine, forms=FORMS, draft_id=draft_id, actor=user(session, username)
    )


def _events(session, kind: str) -> int:
    return session.scalar(select(func.count()).select_from(WorkflowEvent).where(WorkflowEvent.kind == kind))


# 1. The families' contracts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("process_id", [APPLICATION, *GRIEVANCE_CONTRACTS])
def test_every_shipped_process_keeps_its_familys_contract(session, process_engine, process_id):
    assert publishing.contract_of(process_id) is not None
    files = {path.name: path.read_bytes() for path in WORKFLOWS.glob("*.dmn")}
    files[f"{process_id}.bpmn"] = (WORKFLOWS / f"{process_id}.bpmn").read_bytes()
    checked = publishing.check_files(
        session, engine=process_engine, forms=FORMS, process_id=process_id, files=files
    )
    assert checked == []


def test_the_application_contract_names_every_fact_the_intake_puts_into_the_case() -> None:
    person = SimpleNamespace(age_on=lambda _today: 70, sex="f", equity_card="none", disability=False)
    household = intake.Household(
        household_size=3, pregnant=False, living_with_hiv=False, enrolled_in_school=False
    )
    programme = SimpleNamespace(code="fp_elderly", sector="social")
    facts = intake._intake_data(person, household, programme, date(2026, 11, 2)) | {"documents": {}}
    assert set(facts) == APPLICATION_CONTRACT.start_variables
    assert (APPLICATION_CONTRACT.start_task, APPLICATION_CONTRACT.start_role) == (
        "intake",
        intake.INTAKE_ROLE,
    )


def test_a_start_to_end_diagram_saved_as_the_application_is_refused_and_nothing_is_stored(
    session, process_engine
):
    serving = latest_version(session, APPLICATION)
    actor = user(session, "sup.ac")
    draft = publishing.start_draft(session, version_id=serving.id, actor=actor)
    publishing.save_draft(session, draft_id=draft.id, bpmn_xml=START_TO_END, change_note="", actor=actor)
    before = _events(session, "publish_refused")

    outcome = _publish(session, process_engine, draft.id)

    assert outcome.version is None
    assert texts(outcome.problems) == [
        "Sala opens a case by completing the user task intake (lane commune_assistant): it is missing.",
        "A case can reach 'Done' (done) without outcome, outcome_reason; Sala reads them at the end.",
    ]
    assert outcome.problems[1].element_id == "done" and all(p.hint for p in outcome.problems)
    assert latest_version(session, APPLICATION).id == serving.id
    assert _events(session, "publish_refused") == before + 1
    checked = publishing.validate_draft(
        session, engine=process_engine, forms=FORMS, draft_id=draft.id, actor=actor
    )
    assert texts(checked) == texts(outcome.problems)


@pytest.mark.parametrize(
    ("process_id", "old", "new", "element", "expected"),
    [
        (
            "grievance_ssdm",
            'outcome = "decided"\ndecided_level = 1',
            'outcome = "decided"',
            "result_given",
            "A case can reach 'Result given' (result_given) without decided_level;"
            " Sala reads them at the end.",
        ),
        (
            "grievance_social_security",
            'outcome = "decided"\ndecided_level = 2',
            'outcome = "settled"\ndecided_level = 2',
            "record_level_2_decision",
            "'Record the level-2 decision' (record_level_2_decision) sets outcome to settled, which Sala does"
            " not know.",
        ),
    ],
)
def test_a_grievance_diagram_that_drops_what_the_service_reads_is_refused(
    session, process_engine, process_id, old, new, element, expected
):
    text = (WORKFLOWS / f"{process_id}.bpmn").read_text(encoding="utf-8")
    assert old in text
    serving = latest_version(session, process_id)
    actor = user(session, "admin")
    draft = publishing.start_draft(session, version_id=serving.id, actor=actor)
    publishing.save_draft(
        session, draft_id=draft.id, bpmn_xml=text.replace(old, new, 1), change_note="", actor=actor
    )
    outcome = _publish(session, process_engine, draft.id, "admin")
    assert outcome.version is None
    assert [(p.element_id, p.message % p.params) for p in outcome.problems] == [(element, expected)]


# 2. Call cycles ---------------------------------------------------------------------------------------------


def test_a_call_activity_calling_its_own_process_is_refused(session, process_engine):
    imported = _import(session, process_engine, "home_visit", calling("home_visit", "home_visit"))
    cycle = (
        "'Again' (again) calls home_visit, which leads back to home_visit (home_visit → home_visit): a case"
    )
    assert imported.draft is not None
    assert any(text.startswith(cycle) for text in texts(imported.problems))

    outcome = _publish(session, process_engine, imported.draft.id)
    assert outcome.version is None
    (found,) = [p for p in outcome.problems if p.element_id == "again"]
    assert (found.message % found.params).startswith(cycle)
    assert latest_version(session, "home_visit") is None


def test_a_call_cycle_through_a_published_process_is_refused(session, process_engine):
    # visit_a's serving version calls visit_b (stored as a release would store it): visit_b may not call it.
    session.add(
        WorkflowVersion(
            process_id="visit_a",
            version=1,
            name="Visit A",
            content_hash="a" * 64,
            files_json=json.dumps({"visit_a.bpmn": calling("visit_a", "visit_b")}),
            spec_json="{}",
        )
    )
    session.flush()
    assert publishing.published_calls(session)["visit_a"] == frozenset({"visit_b"})

    imported = _import(session, process_engine, "visit_b", calling("visit_b", "visit_a"))
    assert (
        "'Again' (again) calls visit_a, which leads back to visit_b (visit_b → visit_a → visit_b): a case"
        in (" ".join(texts(imported.problems)))
    )


# 3. Imports from other modellers ----------------------------------------------------------------------------


def test_a_camunda_file_becomes_a_draft_of_a_new_process_with_its_problems(session, process_engine):
    data = (FIXTURES / "camunda_disability_card.bpmn").read_bytes()
    before = _events(session, "draft_imported")

    imported = _import(session, process_engine, "disability_card_request", data)

    draft = imported.draft
    assert (
        draft is not None
        and draft.parent_version_id is None
        and draft.process_id == "disability_card_request"
    )
    assert 'id="disability_card_request"' in draft.bpmn_xml and "camunda" not in draft.bpmn_xml
    assert [p.element_id for p in imported.problems] == ["check_documents", "", "notify_registry"]
    assert "is a service task" in texts(imported.problems)[2]
    assert _events(session, "draft_imported") == before + 1
    outcome = _publish(session, process_engine, draft.id)
    assert outcome.version is None and [p.element_id for p in outcome.problems] == ["notify_registry"]


def test_a_clean_import_publishes_as_the_first_version_of_a_new_process(session, process_engine):
    imported = _import(session, process_engine, "home_visit", one_step("home_visit"))
    assert imported.draft is not None and imported.problems == ()

    outcome = _publish(session, process_engine, imported.draft.id)

    assert outcome.problems == () and outcome.version is not None
    assert (outcome.version.process_id, outcome.version.version, outcome.version.parent_version_id) == (
        "home_visit",
        1,
        None,
    )
    assert session.get(WorkflowDraft, imported.draft.id).status == DRAFT_PUBLISHED
    assert latest_version(session, "home_visit").id == outcome.version.id


def test_an_import_over_an_existing_process_is_a_draft_of_its_serving_version(session, process_engine):
    serving = latest_version(session, APPLICATION)
    data = (FIXTURES / "bpmnio_home_visit.bpmn").read_bytes()

    imported = _import(session, process_engine, APPLICATION, data)

    assert imported.draft is not None and imported.draft.parent_version_id == serving.id
    assert (
        "Sala opens a case by completing the user task intake (lane commune_assistant): it is missing."
        in (texts(imported.problems))
    )


def test_an_unreadable_file_stores_nothing(session, process_engine):
    drafts = session.scalar(select(func.count()).select_from(WorkflowDraft))
    imported = _import(session, process_engine, "home_visit", b"<not-bpmn/>")
    assert imported.draft is None and len(imported.problems) == 1
    assert session.scalar(select(func.count()).select_from(WorkflowDraft)) == drafts


@pytest.mark.parametrize("process_id", ["", "Home visit", "1st", "x" * 81])
def test_an_import_needs_a_process_id_sala_can_name(session, process_engine, process_id):
    with pytest.raises(InvalidInput) as refused:
        _import(session, process_engine, process_id, one_step("home_visit"))
    assert "process_id" in refused.value.errors


@pytest.mark.parametrize("username", ["ssdm.ac", "ca.charchhuk"])
def test_only_editors_import(session, process_engine, username):
    with pytest.raises(PermissionDenied):
        _import(session, process_engine, "home_visit", one_step("home_visit"), username)


# 4. A step that fails when a case starts or moves on ----------------------------------------------------


def _opening(session) -> CaseOpening:
    officer = user(session, "ca.charchhuk")
    return CaseOpening(
        process_id="failing_start",
        reference_prefix="TST",
        area_code=officer.area_code,
        today=date(2026, 11, 2),
        data={},
    )


def test_a_start_whose_script_fails_is_a_refusal_naming_the_step(session, process_engine):
    imported = _import(
        session,
        process_engine,
        "failing_start",
        one_step("failing_start", before=FAILING_SCRIPT, first="first"),
    )
    assert imported.problems == ()
    assert _publish(session, process_engine, imported.draft.id).version is not None
    officer = user(session, "ca.charchhuk")

    with pytest.raises(ProcessStepFailed) as refused:
        open_any_case(
            session, process_engine, opening=_opening(session), actor=officer, created_by_id=officer.id
        )

    assert refused.value.params == {"step": "first"} and refused.value.status == 409


class _StoppedEngine:
    """The real engine, but every run is stopped at the step limit."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def __getattr__(self, name: str):
        return getattr(self.engine, name)

    def _stop(self, *_args, **_kwargs):
        raise RunLimitExceeded(RunLimitExceeded.STEPS, step="again", steps="500")

    start = complete_task = _stop


def test_a_run_stopped_at_its_limit_keeps_its_own_message_at_start_and_at_a_task(session, process_engine):
    imported = _import(session, process_engine, "failing_start", one_step("failing_start"))
    assert _publish(session, process_engine, imported.draft.id).version is not None
    officer = user(session, "ca.charchhuk")
    with pytest.raises(RunLimitExceeded) as at_start:
        open_any_case(
            session,
            _StoppedEngine(process_engine),
            opening=_opening(session),
            actor=officer,
            created_by_id=officer.id,
        )
    assert at_start.value.params == {"step": "again", "steps": "500"}

    case = open_case(session, process_engine)
    task = open_task(session, case)
    assistant = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=assistant)
    with pytest.raises(RunLimitExceeded) as at_task:
        submit_task(
            session,
            engine=_StoppedEngine(process_engine),
            task_id=task.id,
            data={},
            actor=assistant,
            case_version=None,
        )
    assert not isinstance(at_task.value, ProcessStepFailed) and at_task.value.status == 409


def test_any_other_failing_step_at_a_task_is_still_a_process_step_refusal(session, process_engine):
    class Failing(_StoppedEngine):
        def complete_task(self, *_args, **_kwargs):
            raise StepFailed("decide", "boom")

    case = open_case(session, process_engine)
    task = open_task(session, case)
    assistant = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=assistant)
    with pytest.raises(ProcessStepFailed) as refused:
        submit_task(
            session,
            engine=Failing(process_engine),
            task_id=task.id,
            data={},
            actor=assistant,
            case_version=None,
        )
    assert refused.value.params == {"step": "decide"}
