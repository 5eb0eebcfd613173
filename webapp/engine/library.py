"""Deploying a process: parse its files safely, validate them, serialize the spec once per content hash."""

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from webapp.domain.errors import WorkflowInvalid
from webapp.engine import safe_xml
from webapp.engine.expressions import expression_problems
from webapp.engine.state import LoadedSpec, dump_spec, load_spec
from webapp.engine.types import DeployedProcess, UserTaskInfo

# Lane names are role ids and formKeys are file stems: both must look like identifiers.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_NS = {"bpmn": safe_xml.BPMN_NS}


@dataclass
class _Sources:
    bpmn: dict[str, etree._Element] = field(default_factory=dict)
    dmn: dict[str, etree._Element] = field(default_factory=dict)


def content_hash(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        # Length prefixes keep ("a", b"bc") and ("ab", b"c") apart.
        for part in (name.encode("utf-8"), data):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def deploy(
    process_id: str, files: Mapping[str, bytes], serializer: BpmnWorkflowSerializer
) -> tuple[DeployedProcess, LoadedSpec]:
    """Validate and serialize one process; WorkflowInvalid lists every problem found."""
    sources = _parse_files(files)
    parser = _build_parser(sources)
    spec, subprocess_specs = _get_specs(parser, process_id)
    all_specs = [spec, *subprocess_specs.values()]
    _apply_own_lanes(all_specs, _lanes_by_node(sources.bpmn.values()))
    problems = _human_task_problems(all_specs) + _decision_problems(sources.dmn)
    problems += expression_problems(sources.bpmn, sources.dmn)
    if problems:
        raise WorkflowInvalid(problems=problems)
    spec_json = dump_spec(serializer, spec, subprocess_specs)
    deployed = DeployedProcess(
        process_id=process_id,
        name=spec.description or process_id,
        content_hash=content_hash(files),
        files={name: data.decode("utf-8") for name, data in sorted(files.items())},
        spec_json=spec_json,
        user_tasks=tuple(_user_task_info(task_spec) for task_spec in _human_tasks(all_specs)),
    )
    # Loading what was just dumped proves the version can run before anyone stores it.
    return deployed, load_spec(serializer, spec_json)


def directory_files(directory: Path) -> dict[str, dict[str, bytes]]:
    """Process id -> the files to deploy it with: its BPMN file and every DMN file of the folder."""
    decisions = {path.name: path.read_bytes() for path in sorted(directory.glob("*.dmn"))}
    return {
        path.stem: {path.name: path.read_bytes(), **decisions} for path in sorted(directory.glob("*.bpmn"))
    }


def _parse_files(files: Mapping[str, bytes]) -> _Sources:
    sources, problems = _Sources(), list[str]()
    if not any(name.endswith(".bpmn") for name in files):
        problems.append("No BPMN file was given.")
    for name, data in sorted(files.items()):
        try:
            root = safe_xml.parse(name, data)
            data.decode("utf-8")
        except safe_xml.UnsafeXml as error:
            problems.append(str(error))
            continue
        except UnicodeDecodeError:
            problems.append(f"{name} is not UTF-8 text.")
            continue
        kind = safe_xml.kind(root)
        if kind == "bpmn" and name.endswith(".bpmn"):
            sources.bpmn[name] = root
        elif kind == "dmn" and name.endswith(".dmn"):
            sources.dmn[name] = root
        else:
            problems.append(f"{name} is neither a BPMN file (.bpmn) nor a DMN file (.dmn).")
    if problems:
        raise WorkflowInvalid(problems=problems)
    return sources


def _build_parser(sources: _Sources) -> SpiffBpmnParser:
    parser, problems = SpiffBpmnParser(validator=VALIDATOR), list[str]()
    for name, root in sources.dmn.items():
        _collect(problems, name, parser.add_dmn_xml, root, filename=name)
    for name, root in sources.bpmn.items():
        _collect(problems, name, parser.add_bpmn_xml, root, filename=name)
    if problems:
        raise WorkflowInvalid(problems=problems)
    return parser


def _get_specs(parser: SpiffBpmnParser, process_id: str) -> tuple[BpmnProcessSpec, dict[str, Any]]:
    if process_id not in parser.get_process_ids():
        found = ", ".join(sorted(parser.get_process_ids())) or "none"
        raise WorkflowInvalid(problems=[f"The process '{process_id}' is not in the files (found: {found})."])
    problems: list[str] = []
    specs = _collect(
        problems, process_id, lambda: (parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    )
    if specs is None:
        raise WorkflowInvalid(problems=problems)
    return specs


def _collect(problems: list[str], name: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one parser call, turning its failure into a problem sentence instead of an exception."""
    try:
        return call(*args, **kwargs)
    except ValidationException as error:
        problems.append(_describe(error, name))
    except Exception as error:  # SpiffWorkflow raises plain errors on some malformed input
        problems.append(f"{name} could not be parsed: {error}.")
    return None


def _describe(error: ValidationException, name: str) -> str:
    message = str(error.args[0] if error.args else error).rstrip(". ")
    where = [f"element '{error.id}'"] if getattr(error, "id", "") else []
    if getattr(error, "line_number", ""):
        where.append(f"line {error.line_number}")
    where.append(error.file_name or name)
    return f"{message} ({', '.join(where)})."


def _decision_problems(dmn: Mapping[str, etree._Element]) -> list[str]:
    problems = []
    for name, root in dmn.items():
        decisions = [decision.get("id") for decision in root.iterfind("{*}decision")]
        if decisions != [Path(name).stem]:
            found = ", ".join(f"'{decision}'" for decision in decisions) or "none"
            problems.append(
                f"{name} must hold one decision whose id is '{Path(name).stem}' (found: {found})."
            )
    return problems


def _lanes_by_node(roots: Iterable[etree._Element]) -> dict[str, str]:
    lanes = {}
    for root in roots:
        for ref in root.iterfind(".//bpmn:lane/bpmn:flowNodeRef", _NS):
            if ref.text:
                lanes[ref.text.strip()] = ref.getparent().get("name") or ""
    return lanes


def _apply_own_lanes(specs: Iterable[BpmnProcessSpec], lanes: Mapping[str, str]) -> None:
    # SpiffWorkflow gives every task inside a subprocess the subprocess's own lane; a task listed in a
    # lane itself (the check in the district, the missing document at the commune) must keep that lane.
    for spec in specs:
        for task_spec in spec.task_specs.values():
            lane = lanes.get(getattr(task_spec, "bpmn_id", None) or "")
            if lane:
                task_spec.lane = lane


def _human_tasks(specs: Iterable[BpmnProcessSpec]) -> list[Any]:
    return [ts for spec in specs for ts in spec.task_specs.values() if getattr(ts, "manual", False)]


def _form_key(task_spec: Any) -> str | None:
    properties = (getattr(task_spec, "extensions", None) or {}).get("properties") or {}
    return properties.get("formKey")


def _human_task_problems(specs: Iterable[BpmnProcessSpec]) -> list[str]:
    problems = []
    for task_spec in _human_tasks(specs):
        task_id, lane, form_key = task_spec.bpmn_id, task_spec.lane, _form_key(task_spec)
        if not lane:
            problems.append(
                f"User task '{task_id}' is in no lane; every user task needs a lane named after a role."
            )
        elif not IDENTIFIER.match(lane):
            problems.append(f"User task '{task_id}' is in lane '{lane}', which is not a role id.")
        if not form_key:
            problems.append(f"User task '{task_id}' has no formKey property.")
        elif not IDENTIFIER.match(form_key):
            problems.append(
                f"User task '{task_id}' has the formKey '{form_key}', which is not a form file name."
            )
    return problems


def _user_task_info(task_spec: Any) -> UserTaskInfo:
    return UserTaskInfo(
        spec_name=task_spec.bpmn_id,
        name=task_spec.bpmn_name or task_spec.bpmn_id,
        lane=task_spec.lane,
        form_key=_form_key(task_spec),
    )
