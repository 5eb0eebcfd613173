"""Edits a supervisor makes to the shipped application process, as the modeler would save them."""

from pathlib import Path

WORKFLOWS = Path(__file__).resolve().parent.parent / "workflows"
APPLICATION = "ssdm_programme_application"

ANNOUNCE_FLOW = (
    '<bpmn:sequenceFlow id="flow_to_announce_result" sourceRef="record_decision" '
    'targetRef="announce_result" />'
)
REVIEW_STEP = """<bpmn:sequenceFlow id="flow_to_announce_result" sourceRef="record_decision"
        targetRef="review_decision" />
    <bpmn:userTask id="review_decision" name="Review the decision">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="check_documents" />
          <spiffworkflow:property name="slaTarget" value="P2D" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_to_announce_result</bpmn:incoming>
      <bpmn:outgoing>flow_review_to_announce</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_review_to_announce" sourceRef="review_decision"
        targetRef="announce_result" />"""


def shipped_bpmn() -> bytes:
    return (WORKFLOWS / f"{APPLICATION}.bpmn").read_bytes()


def shipped_files() -> dict[str, bytes]:
    files = {path.name: path.read_bytes() for path in WORKFLOWS.glob("*.dmn")}
    return {**files, f"{APPLICATION}.bpmn": shipped_bpmn()}


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def with_review_step(bpmn: bytes | None = None) -> bytes:
    """The district reviews every decision before it is announced: a new user task after record_decision."""
    text = (bpmn or shipped_bpmn()).decode("utf-8")
    text = _replace(
        text,
        ANNOUNCE_FLOW,
        REVIEW_STEP,
    )
    text = _replace(
        text,
        "<bpmn:flowNodeRef>sector_gateway</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>sector_gateway</bpmn:flowNodeRef>\n<bpmn:flowNodeRef>review_decision</bpmn:flowNodeRef>",
    )
    return text.encode("utf-8")


def with_renamed_check(bpmn: bytes | None = None) -> bytes:
    """The document check step gets a new id: cases waiting at the old one cannot move."""
    text = (bpmn or shipped_bpmn()).decode("utf-8")
    for old, new in (
        ('id="check_documents"', 'id="verify_documents"'),
        ("<bpmn:flowNodeRef>check_documents<", "<bpmn:flowNodeRef>verify_documents<"),
        ('sourceRef="check_documents"', 'sourceRef="verify_documents"'),
        ('targetRef="check_documents"', 'targetRef="verify_documents"'),
        ('bpmnElement="check_documents"', 'bpmnElement="verify_documents"'),
        ('attachedToRef="check_documents"', 'attachedToRef="verify_documents"'),  # its deadline timers
    ):
        text = _replace(text, old, new)
    return text.encode("utf-8")
