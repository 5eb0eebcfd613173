"""Importing diagrams from other modellers: Camunda Modeler 7 and bpmn.io files become Sala drafts."""

from pathlib import Path

from lxml import etree

from webapp.domain.people import ROLES
from webapp.engine.importing import import_foreign_bpmn
from webapp.engine.validation import Vocabulary, validate_process
from webapp.services.deadlines.calendars import create_process_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
ENGINE = create_process_engine()
VOCABULARY = Vocabulary(
    roles=frozenset(ROLES),
    forms={"application_intake", "check_documents"},
    variables={"documents_complete", "note"},
)


def texts(problems) -> list[str]:
    return [p.message % p.params for p in problems]


def test_a_camunda_modeler_file_becomes_a_sala_draft() -> None:
    data = (FIXTURES / "camunda_disability_card.bpmn").read_bytes()
    imported = import_foreign_bpmn(data, process_id="disability_card_request")
    root = etree.fromstring(imported.xml.encode())

    (process,) = root.iterfind(f"{BPMN}process")
    assert (process.get("id"), process.get("isExecutable")) == ("disability_card_request", "true")
    assert "camunda" not in imported.xml and "modeler:" not in imported.xml
    assert root.nsmap["bpmn"] == BPMN[1:-1] and root.nsmap["spiffworkflow"] == SPIFF[1:-1]
    forms = {
        task.get("id"): [p.get("value") for p in task.iter(f"{SPIFF}property") if p.get("name") == "formKey"]
        for task in process.iter(f"{BPMN}userTask")
    }
    assert forms == {"take_request": ["application_intake"], "check_documents": ["check_documents"]}
    lanes = {
        lane.get("name"): [ref.text for ref in lane.iter(f"{BPMN}flowNodeRef")]
        for lane in process.iter(f"{BPMN}lane")
    }
    assert lanes == {"commune_assistant": ["take_request"], "district_ssdm_assistant": ["check_documents"]}
    condition = process.find(f".//{BPMN}conditionExpression")
    assert condition.text == 'documents_complete == "yes"  and  note != "x"'
    assert process.find(f".//{BPMN}timeDuration").text == '"P5D"'
    plane = root.find(".//{http://www.omg.org/spec/BPMN/20100524/DI}BPMNPlane")
    assert plane.get("bpmnElement") == "disability_card_request"
    assert len(plane) == 16  # every shape and edge kept

    assert texts(imported.problems) == [
        "'Check the documents' (check_documents) was given to sokha.district; Sala offers a task to a role, "
        "so that was left out.",
        "Settings of another modeller were left out (class, inputOutput).",
    ]
    assert imported.problems[0].element_id == "check_documents"


def test_an_imported_camunda_draft_is_then_checked_like_any_draft() -> None:
    imported = import_foreign_bpmn(
        (FIXTURES / "camunda_disability_card.bpmn").read_bytes(), process_id="disability_card_request"
    )
    found = validate_process(
        "disability_card_request",
        {"disability_card_request.bpmn": imported.xml.encode()},
        engine=ENGINE,
        vocabulary=VOCABULARY,
    )
    # What remains is what Sala cannot run, on its element: the service task.
    assert [(p.element_id, p.message % p.params) for p in found] == [
        (
            "notify_registry",
            "'Notify the registry' (notify_registry) is a service task, "
            "and Sala has no service a process can call.",
        )
    ]


def test_a_bpmn_io_file_gets_sala_prefixes_the_chosen_id_and_keeps_its_pool_and_colours() -> None:
    data = (FIXTURES / "bpmnio_home_visit.bpmn").read_bytes()
    imported = import_foreign_bpmn(data, process_id="home_visit")
    root = etree.fromstring(imported.xml.encode())

    assert imported.xml.count("<bpmn:") > 10 and "bpmn2:" not in imported.xml
    assert root.find(f"{BPMN}collaboration/{BPMN}participant").get("processRef") == "home_visit"
    process = root.find(f"{BPMN}process")
    assert (process.get("id"), process.get("isExecutable"), process.get("name")) == (
        "home_visit",
        "true",
        "Home visit",
    )
    assert 'bioc:stroke="#1e88e5"' in imported.xml
    assert texts(imported.problems) == ["The user task 'Visit the household' (Activity_visit) has no form."]


def test_a_default_namespace_file_and_quoted_types_are_rewritten() -> None:
    data = b"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="x">
  <process id="p"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e">
    <conditionExpression xsi:type="tFormalExpression">True</conditionExpression></sequenceFlow>
    <endEvent id="e"/></process>
</definitions>"""
    imported = import_foreign_bpmn(data, process_id="tiny")
    assert 'xsi:type="bpmn:tFormalExpression"' in imported.xml
    assert "<bpmn:process" in imported.xml and imported.problems == ()


def test_files_that_are_not_bpmn_are_refused_with_one_problem() -> None:
    for data in (b"<a>\n<b></a>", b'<svg xmlns="http://www.w3.org/2000/svg"/>'):
        imported = import_foreign_bpmn(data, process_id="x")
        assert imported.xml == "" and len(imported.problems) == 1 and imported.problems[0].hint


def test_a_process_id_that_is_not_an_identifier_is_reported() -> None:
    data = (FIXTURES / "bpmnio_home_visit.bpmn").read_bytes()
    imported = import_foreign_bpmn(data, process_id="Home Visit")
    assert "Home Visit cannot be a process id." in texts(imported.problems)
