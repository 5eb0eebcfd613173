"""The BPMN file is complete enough for bpmn-js: every element drawn, in its own swimlane, flows joined up."""

from pathlib import Path

import pytest
from lxml import etree

from tests.workflows.conftest import WORKFLOWS

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "userTask",
    "scriptTask",
    "boundaryEvent",
    "businessRuleTask",
    "exclusiveGateway",
    "subProcess",
)
ROLES = {
    "commune_assistant",
    "district_ssdm_assistant",
    "district_supervisor",
    "back_office_social_affairs",
    "back_office_health",
    "back_office_education",
    "back_office_labour",
    "back_office_rural_development",
    "inter_sector_officer",
}
Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def root() -> etree._Element:
    return etree.parse(str(WORKFLOWS / "ssdm_programme_application.bpmn")).getroot()


@pytest.fixture(scope="module")
def bounds(root: etree._Element) -> dict[str, Box]:
    found = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        box = shape.find("dc:Bounds", NS)
        found[shape.get("bpmnElement")] = tuple(float(box.get(k)) for k in ("x", "y", "width", "height"))
    return found


def _ids(root: etree._Element, tag: str) -> list[str]:
    return [element.get("id") for element in root.iterfind(f".//bpmn:{tag}", NS)]


def _inside(x: float, y: float, box: Box, margin: float = 1.0) -> bool:
    left, top, width, height = box
    return left - margin <= x <= left + width + margin and top - margin <= y <= top + height + margin


def test_every_flow_node_lane_and_participant_is_drawn(root: etree._Element, bounds: dict[str, Box]) -> None:
    expected = [node for tag in (*FLOW_NODES, "lane", "participant") for node in _ids(root, tag)]

    assert len(expected) == 51
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


def test_every_element_is_drawn_inside_its_lane(root: etree._Element, bounds: dict[str, Box]) -> None:
    for lane in root.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            left, top, width, height = bounds[ref.text]
            if ref.text == "document_check":
                continue  # the loop subprocess spans the commune and district lanes, as its tasks do
            assert _inside(left + width / 2, top + height / 2, bounds[lane.get("id")]), ref.text


def test_lanes_are_the_roles_and_the_readme_names_each(root: etree._Element) -> None:
    lanes = {lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)}
    readme = (WORKFLOWS / "README.md").read_text()

    assert lanes == ROLES
    assert [role for role in sorted(ROLES) if f"`{role}`" not in readme] == []


def test_every_user_task_is_documented_and_names_its_form(root: etree._Element) -> None:
    for task in root.iterfind(".//bpmn:userTask", NS):
        documentation = task.findtext("bpmn:documentation", namespaces=NS) or ""
        form_key = task.find(".//spiffworkflow:property[@name='formKey']", NS)
        assert len(documentation) > 20, task.get("id")
        assert form_key is not None, task.get("id")
        assert (Path(WORKFLOWS).parent / "forms" / f"{form_key.get('value')}.yaml").is_file(), task.get("id")
