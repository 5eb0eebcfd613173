"""Small BPMN documents for deploy tests, and a driver that plays a case through the engine by state."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from webapp.engine import PendingTask, ProcessEngine, SpecRef, StepResult

FORMAL = "bpmn:tFormalExpression"
FORM_KEY = (
    "<bpmn:extensionElements><spiffworkflow:properties>"
    '<spiffworkflow:property name="formKey" value="sample_form" />'
    "</spiffworkflow:properties></bpmn:extensionElements>"
)


def sample_bpmn(
    *,
    process_id: str = "sample",
    script: str = "greeting = 'hello'",
    user_task_extensions: str = FORM_KEY,
    lane: str | None = "commune_assistant",
    condition: str = "True",
) -> bytes:
    """Start, a script, a conditional flow, a user task in a lane, end."""
    lanes = (
        f'<bpmn:laneSet id="lanes"><bpmn:lane id="lane_1" name="{lane}">'
        "<bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
        if lane is not None
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="sample_definitions" targetNamespace="http://sala.example/test">
  <bpmn:process id="{process_id}" name="Sample process" isExecutable="true">
    {lanes}
    <bpmn:startEvent id="start"><bpmn:outgoing>to_prepare</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="to_prepare" sourceRef="start" targetRef="prepare" />
    <bpmn:scriptTask id="prepare" name="Prepare">
      <bpmn:incoming>to_prepare</bpmn:incoming><bpmn:outgoing>to_gateway</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="to_gateway" sourceRef="prepare" targetRef="gateway" />
    <bpmn:exclusiveGateway id="gateway" default="to_end">
      <bpmn:incoming>to_gateway</bpmn:incoming>
      <bpmn:outgoing>to_ask</bpmn:outgoing><bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="to_ask" sourceRef="gateway" targetRef="ask">
      <bpmn:conditionExpression xsi:type="{FORMAL}">{escape(condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_end" sourceRef="gateway" targetRef="end" />
    <bpmn:userTask id="ask" name="Ask">
      {user_task_extensions}
      <bpmn:incoming>to_ask</bpmn:incoming><bpmn:outgoing>to_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="end" />
    <bpmn:endEvent id="end">
      <bpmn:incoming>to_done</bpmn:incoming><bpmn:incoming>to_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
""".encode()


def applicant(**overrides: Any) -> dict[str, Any]:
    """What the intake task submits for an applicant eligible to the basic family package."""
    data: dict[str, Any] = {
        "programme": "fp_base",
        "sector": "social_affairs",
        "age": 30,
        "sex": "female",
        "equity_card": "poor_1",
        "disability": False,
        "pregnant": False,
        "living_with_hiv": False,
        "enrolled_in_school": False,
        "household_size": 4,
        "name_km": "សុខ ចាន់",
        "village": "17010101",
    }
    data.update(overrides)
    return data


DOCUMENTS_COMPLETE = {"documents_complete": "yes", "missing_document": None, "note": ""}
DOCUMENTS_MISSING = {
    "documents_complete": "no",
    "missing_document": "id_card",
    "note": "The card is unreadable.",
}
APPROVE = {"decision": "approve", "justification": "All rules are met.", "benefit_start": "2025-02-01"}
REJECT = {"decision": "reject", "justification": "The household left the commune.", "benefit_start": ""}
ANNOUNCE = {"announced_on": "2025-02-10", "announcement_place": "Commune hall", "note": ""}


@dataclass
class Case:
    """A case as services hold it: only the spec reference and the state string survive between steps."""

    engine: ProcessEngine
    spec: SpecRef
    result: StepResult | None = None
    automatic_steps: list[str] = field(default_factory=list)

    def start(self, data: Mapping[str, Any] | None = None) -> StepResult:
        return self._keep(self.engine.start(self.spec, data or {"case_reference": "SR-0001"}))

    @property
    def state(self) -> str:
        assert self.result is not None
        return self.result.state

    def task(self, spec_name: str) -> PendingTask:
        ready = [
            task for task in self.engine.ready_tasks(self.spec, self.state) if task.spec_name == spec_name
        ]
        assert len(ready) == 1, (
            f"{spec_name} is not the one ready task: {self.engine.ready_tasks(self.spec, self.state)}"
        )
        return ready[0]

    def complete(self, spec_name: str, data: Mapping[str, Any]) -> StepResult:
        task = self.task(spec_name)
        assert task.lane is not None
        return self._keep(self.engine.complete_task(self.spec, self.state, task.id, data, lane=task.lane))

    def _keep(self, result: StepResult) -> StepResult:
        # What the step says is ready must be what a reload of its state says is ready.
        assert self.engine.ready_tasks(self.spec, result.state) == result.ready_tasks
        self.result = result
        self.automatic_steps.extend(result.automatic_steps)
        return result
