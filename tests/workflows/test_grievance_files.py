"""Both grievance BPMN files are complete for bpmn-js: every element drawn in its lane, flows joined up."""

from pathlib import Path

import pytest
from lxml import etree

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.test_workflow_files import FLOW_NODES, NS, Box, _ids, _inside
from webapp.domain.people import ROLES

FILES = ("grievance_ssdm.bpmn", "grievance_social_security.bpmn")


@pytest.fixture(params=FILES)
def root(request: pytest.FixtureRequest) -> etree._Element:
    return etree.parse(str(WORKFLOWS / request.param)).getroot()


@pytest.fixture
def bounds(root: etree._Element) -> dict[str, Box]:
    found = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        box = shape.find("dc:Bounds", NS)
        found[shape.get("bpmnElement")] = tuple(float(box.get(k)) for k in ("x", "y", "width", "height"))
    return found


def test_every_flow_node_lane_and_participant_is_drawn(root: etree._Element, bounds: dict[str, Box]) -> None:
    expected = [node for tag in (*FLOW_NODES, "lane", "participant") for node in _ids(root, tag)]
    assert len(expected) > 10
    assert [node for node in expected if node not in bounds] == []


def test_every_sequence_flow_is_drawn_from_its_source_to_its_target(
    root: etree._Element, bounds: dict[str, Box]
) -> None:
    edges = {edge.get("bpmnElement"): edge for edge in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
        points = [
            (float(p.get("x")), float(p.get("y"))) for p in edges[flow.get("id")].iterfind("di:waypoint", NS)
        ]
        assert len(points) >= 2
        assert _inside(*points[0], bounds[flow.get("sourceRef")]), flow.get("id")
        assert _inside(*points[-1], bounds[flow.get("targetRef")]), flow.get("id")


def test_every_task_and_event_is_drawn_inside_its_lane(root: etree._Element, bounds: dict[str, Box]) -> None:
    subprocesses = set(_ids(root, "subProcess"))
    for lane in root.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            if ref.text in subprocesses:
                continue  # a level spans the lanes of the officers who may act in it
            left, top, width, height = bounds[ref.text]
            assert _inside(left + width / 2, top + height / 2, bounds[lane.get("id")]), ref.text


def test_lanes_are_roles_and_every_user_task_is_documented_with_its_form(root: etree._Element) -> None:
    assert {lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)} <= set(ROLES)
    lane_of = {ref.text for ref in root.iterfind(".//bpmn:flowNodeRef", NS)}
    for task in root.iterfind(".//bpmn:userTask", NS):
        form_key = task.find(".//spiffworkflow:property[@name='formKey']", NS)
        assert len(task.findtext("bpmn:documentation", namespaces=NS) or "") > 20, task.get("id")
        assert form_key is not None and task.get("id") in lane_of, task.get("id")
        assert (Path(WORKFLOWS).parent / "forms" / f"{form_key.get('value')}.yaml").is_file()


def test_the_level_1_breach_timer_counts_fifteen_working_days(root: etree._Element) -> None:
    [timer] = [
        event for event in root.iterfind(".//bpmn:boundaryEvent", NS) if event.get("id") == "level_1_overdue"
    ]
    assert timer.get("cancelActivity") != "false"
    assert timer.get("attachedToRef") == "level_1"
    assert timer.findtext(".//bpmn:timeDate", namespaces=NS).startswith('working_deadline("P15D", calendar=')
