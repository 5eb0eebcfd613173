"""Importing a diagram drawn in another modeller (bpmn.io, Camunda Modeler 7 and 8) as a Sala draft.

The file is parsed safely, its namespaces are rewritten to the prefixes Sala's modeler writes (bpmn:, bpmndi:,
dc:, di:, spiffworkflow:), its process gets the chosen id and is made executable, and the Camunda settings
with an obvious Sala meaning are taken over: a form key becomes the `formKey` property, a single candidate
group becomes the task's lane. Everything else of another vendor is left out, and each loss is a problem that
names the element. The diagram (shapes and edges) is kept. Publishing checks the draft as any other.
"""

import ast
import re
from dataclasses import dataclass

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import FLOW_NODES, label, problem
from webapp.engine.library import IDENTIFIER

_B = "{" + safe_xml.BPMN_NS + "}"
_S = "{" + safe_xml.SPIFF_NS + "}"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {
    "bpmn": safe_xml.BPMN_NS,
    "bpmndi": BPMNDI_NS,
    "dc": DC_NS,
    "di": DI_NS,
    "spiffworkflow": safe_xml.SPIFF_NS,
    "xsi": XSI_NS,
    "bioc": "http://bpmn.io/schema/bpmn/biocolor/1.0",
    "color": "http://www.omg.org/spec/BPMN/non-normative/color/1.0",
}
_KEPT = frozenset(NSMAP.values())
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
_C = "{" + CAMUNDA_NS + "}"
_Z = "{" + ZEEBE_NS + "}"
_ISO = re.compile(
    r"^(R\d*/)?P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$|^\d{4}-\d\d-\d\dT[\d:]+"
)
FIX_FORM = N_("Choose its form (formKey) in the properties panel.")
FIX_ROLE = N_("Put it in the lane of the one role whose officers do it.")


@dataclass(frozen=True)
class ImportedDiagram:
    """The cleaned draft (empty when the file could not be read) and what the import could not take over."""

    xml: str
    process_id: str
    problems: tuple[ValidationProblem, ...]


def import_foreign_bpmn(data: bytes, *, process_id: str, file_name: str = "imported.bpmn") -> ImportedDiagram:
    """`data` from another modeller as a draft of `process_id`, with the problems to fix before publishing."""
    try:
        root = safe_xml.parse(file_name, data)
    except safe_xml.UnsafeXml as error:
        return _refused(process_id, problem(None, error.message, _FIX_FILE, **error.params))
    if safe_xml.kind(root) != "bpmn" or etree.QName(root).localname != "definitions":
        return _refused(
            process_id, problem(None, N_("%(file)s is not a BPMN 2.0 diagram."), _FIX_FILE, file=file_name)
        )
    problems: list[ValidationProblem] = []
    process = _main_process(root, problems)
    if process is None:
        return _refused(process_id, problem(None, N_("The file holds no process."), _FIX_FILE))
    _rename(root, process, process_id, problems)
    for element in list(process.iter()):
        if isinstance(element.tag, str) and element.tag in FLOW_NODES:
            _take_over(process, element, problems)
    for condition in process.iter(f"{_B}conditionExpression"):
        _python_condition(condition, problems)
    for timer in process.iter(f"{_B}timeDuration", f"{_B}timeDate", f"{_B}timeCycle"):
        text = (timer.text or "").strip()
        if _ISO.match(text):
            timer.text = f'"{text}"'  # Sala's timers are Python: a literal is quoted
    foreign = _drop_foreign(root)
    clean = _rebuilt(root)
    problems += _task_problems(clean)
    if foreign:
        problems.append(
            problem(
                None,
                N_("Settings of another modeller were left out (%(value)s)."),
                N_("Model what they did with Sala's steps: a script task, a form, a lane or a timer."),
                value=", ".join(sorted(foreign)),
            )
        )
    xml = etree.tostring(clean, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    return ImportedDiagram(xml, process_id, tuple(_unique(problems)))


_FIX_FILE = N_("Export the diagram as BPMN 2.0 XML from the modeller and import that file.")


def _refused(process_id: str, found: ValidationProblem) -> ImportedDiagram:
    return ImportedDiagram("", process_id, (found,))


def _main_process(root: etree._Element, problems: list[ValidationProblem]) -> etree._Element | None:
    processes = root.findall(f"{_B}process")
    if not processes:
        return None
    # The executable one, else the one with the most steps (an empty pool is a partner, not the process).
    chosen = max(
        processes,
        key=lambda p: (p.get("isExecutable") == "true", sum(1 for n in p.iter(*FLOW_NODES))),
    )
    for other in processes:
        if other is not chosen:
            other.set("isExecutable", "false")
    if sum(1 for p in processes if len(p)) > 1:
        problems.append(
            problem(
                None,
                N_("The file holds %(count)s processes; Sala runs only %(process)s."),
                N_("Keep one process per diagram: move each other pool into a diagram of its own."),
                count=str(len(processes)),
                process=str(chosen.get("id") or ""),
            )
        )
    return chosen


def _rename(
    root: etree._Element, process: etree._Element, process_id: str, found: list[ValidationProblem]
) -> None:
    if not IDENTIFIER.match(process_id):
        found.append(
            problem(
                None,
                N_("%(value)s cannot be a process id."),
                N_("Use lowercase letters, digits and _, starting with a letter, e.g. grievance_ssdm."),
                value=process_id,
            )
        )
    old = process.get("id")
    process.set("id", process_id)
    process.set("isExecutable", "true")
    if not process.get("name"):
        process.set("name", process_id.replace("_", " ").capitalize())
    for element in root.iter():
        for attribute in ("processRef", "bpmnElement", "calledElement"):
            if old and element.get(attribute) == old:
                element.set(attribute, process_id)


def _extension(element: etree._Element, path: str) -> etree._Element | None:
    return element.find(f"{_B}extensionElements/{path}")


def _take_over(process: etree._Element, node: etree._Element, found: list[ValidationProblem]) -> None:
    """A Camunda form key and candidate group as Sala's formKey and lane; an assignee is reported."""
    zeebe_form = _extension(node, f"{_Z}formDefinition")
    zeebe_assign = _extension(node, f"{_Z}assignmentDefinition")
    form = node.get(f"{_C}formKey") or (
        zeebe_form.get("formKey") or zeebe_form.get("formId") if zeebe_form is not None else None
    )
    groups = node.get(f"{_C}candidateGroups") or (
        zeebe_assign.get("candidateGroups") if zeebe_assign is not None else None
    )
    person = node.get(f"{_C}assignee") or node.get(f"{_C}candidateUsers")
    if zeebe_assign is not None:
        person = person or zeebe_assign.get("assignee") or zeebe_assign.get("candidateUsers")
    if form:
        _set_form(node, form, found)
    if groups:
        _set_lane(process, node, groups, found)
    if person:
        found.append(
            problem(
                node,
                N_("%(element)s was given to %(value)s; Sala offers a task to a role, so that was left out."),
                FIX_ROLE,
                element=label(node),
                value=person,
            )
        )


def _set_form(node: etree._Element, form: str, found: list[ValidationProblem]) -> None:
    # "embedded:app:forms/check_documents.html", "camunda-forms:deployment:intake.form", "check_documents"
    key = re.split(r"[:/]", form.strip())[-1].split(".")[0]
    if not IDENTIFIER.match(key):
        found.append(
            problem(
                node,
                N_("The form %(value)s of %(element)s is not a Sala form name; it was left out."),
                FIX_FORM,
                value=form,
                element=label(node),
            )
        )
        return
    extensions = node.find(f"{_B}extensionElements")
    if extensions is None:
        extensions = etree.Element(f"{_B}extensionElements")
        node.insert(1 if node.find(f"{_B}documentation") is not None else 0, extensions)
    properties = extensions.find(f"{_S}properties")
    if properties is None:
        properties = etree.SubElement(extensions, f"{_S}properties")
    etree.SubElement(properties, f"{_S}property", name="formKey", value=key)


def _set_lane(
    process: etree._Element, node: etree._Element, groups: str, found: list[ValidationProblem]
) -> None:
    names = [group.strip() for group in groups.split(",") if group.strip()]
    node_id = str(node.get("id"))
    if len(names) != 1:
        found.append(
            problem(
                node,
                N_("%(element)s is offered to several groups (%(value)s); Sala gives a task to one role."),
                FIX_ROLE,
                element=label(node),
                value=groups,
            )
        )
        return
    role = names[0]
    current = next(
        (ref.getparent() for ref in process.iter(f"{_B}flowNodeRef") if (ref.text or "").strip() == node_id),
        None,
    )
    if current is None:
        _add_to_lane(process, role, node_id)
    elif current.get("name") != role:
        found.append(
            problem(
                node,
                N_("%(element)s is in the lane %(lane)s but its group was %(value)s; Sala kept the lane."),
                N_("Check that the lane is the role whose officers do it."),
                element=label(node),
                lane=str(current.get("name") or ""),
                value=role,
            )
        )


def _add_to_lane(process: etree._Element, role: str, node_id: str) -> None:
    """Puts the node in the lane named `role`, creating the lane (and the lane set) when missing."""
    lane_set = process.find(f"{_B}laneSet")
    if lane_set is None:
        lane_set = etree.Element(f"{_B}laneSet", id=f"{process.get('id')}_lanes")
        process.insert(0, lane_set)
    lane = next((lane for lane in lane_set.iterfind(f"{_B}lane") if lane.get("name") == role), None)
    if lane is None:
        lane = etree.SubElement(
            lane_set, f"{_B}lane", id=f"lane_{role}" if IDENTIFIER.match(role) else None, name=role
        )
        if lane.get("id") is None:
            lane.set("id", f"lane_{len(lane_set)}")
    etree.SubElement(lane, f"{_B}flowNodeRef").text = node_id


def _python_condition(condition: etree._Element, found: list[ValidationProblem]) -> None:
    text = (condition.text or "").strip()
    if text.startswith("${") and text.endswith("}"):  # Camunda's expression language (JUEL)
        text = text[2:-1].replace("&&", " and ").replace("||", " or ").strip()
        condition.text = text
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        flow = condition.getparent()
        found.append(
            problem(
                flow,
                N_("The condition of %(element)s (%(value)s) is not a Python expression."),
                N_('Write it in Python, e.g. amount > 5 and status == "approved".'),
                element=label(flow) if flow is not None else "",
                value=text,
            )
        )


_VENDORS = (CAMUNDA_NS, ZEEBE_NS)
# Vendor settings taken over (or reported one by one) above; every other one is listed as left out.
_TAKEN_OVER = frozenset(
    {
        "formKey",
        "candidateGroups",
        "assignee",
        "candidateUsers",
        "formDefinition",
        "assignmentDefinition",
        "userTask",
    }
)


def _drop_foreign(root: etree._Element) -> set[str]:
    """Removes elements and attributes of namespaces Sala does not read; the vendor settings it removed."""
    dropped: set[str] = set()
    for element in list(root.iter()):
        parent = element.getparent()
        if not isinstance(element.tag, str):  # comments and processing instructions
            if parent is not None:
                parent.remove(element)
            continue
        dropped |= _drop_foreign_attributes(element)
        name = etree.QName(element)
        if name.namespace not in _KEPT and parent is not None:
            # The children of a removed vendor element are not listed again.
            if name.namespace in _VENDORS and etree.QName(parent).namespace in _KEPT:
                dropped.add(name.localname)
            parent.remove(element)
    for extensions in list(root.iter(f"{_B}extensionElements")):
        if len(extensions) == 0 and extensions.getparent() is not None:
            extensions.getparent().remove(extensions)
    return dropped - _TAKEN_OVER


def _drop_foreign_attributes(element: etree._Element) -> set[str]:
    dropped = set()
    for attribute in list(element.attrib):
        name = etree.QName(attribute)
        if name.namespace and name.namespace not in _KEPT:
            if name.namespace in _VENDORS:
                dropped.add(name.localname)
            del element.attrib[attribute]
    return dropped


def _rebuilt(root: etree._Element) -> etree._Element:
    """A copy with Sala's prefixes: lxml keeps a file's own prefixes (bpmn2:, semantic:, none) otherwise."""
    prefixes = {namespace: prefix for prefix, namespace in NSMAP.items()}
    clean = etree.Element(root.tag, _clean_attributes(root, prefixes), nsmap=NSMAP)
    clean.text = root.text
    pending = [(root, clean)]
    while pending:
        source, target = pending.pop()
        for child in source:
            copy = etree.SubElement(target, child.tag, _clean_attributes(child, prefixes))
            copy.text, copy.tail = child.text, child.tail
            pending.append((child, copy))
    return clean


def _clean_attributes(element: etree._Element, prefixes: dict[str, str]) -> dict[str, str]:
    attributes = dict(element.attrib)
    xsi_type = f"{{{XSI_NS}}}type"
    if xsi_type in attributes:  # a QName in a value: its prefix must follow the rename
        prefix, _, local = attributes[xsi_type].rpartition(":")
        namespace = element.nsmap.get(prefix or None, safe_xml.BPMN_NS)
        attributes[xsi_type] = f"{prefixes.get(namespace, 'bpmn')}:{local}"
    return attributes


def _task_problems(root: etree._Element) -> list[ValidationProblem]:
    in_lane = {(ref.text or "").strip() for ref in root.iter(f"{_B}flowNodeRef")}
    problems = []
    for task in root.iter(f"{_B}userTask"):
        has_form = any(p.get("name") == "formKey" for p in task.iter(f"{_S}property"))
        if not has_form:
            problems.append(
                problem(task, N_("The user task %(element)s has no form."), FIX_FORM, element=label(task))
            )
        if task.get("id") not in in_lane:
            problems.append(
                problem(
                    task,
                    N_("The user task %(element)s is in no lane, so nobody would be offered it."),
                    N_("Move it into a lane named after the role that does it, e.g. commune_assistant."),
                    element=label(task),
                )
            )
    return problems


def _unique(problems: list[ValidationProblem]) -> list[ValidationProblem]:
    seen, found = set(), []
    for item in problems:
        key = (item.element_id, item.message, tuple(sorted(item.params.items())))
        if key not in seen:
            seen.add(key)
            found.append(item)
    return found
