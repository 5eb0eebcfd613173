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

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import problem
from webapp.engine.diagram_size import size_problems
from webapp.engine.expressions import expression_problems
from webapp.engine.refusals import DiagramRefused, parser_problem, text_problem
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
    spec, subprocess_specs = _get_specs(parser, process_id, sources)
    all_specs = [spec, *subprocess_specs.values()]
    _apply_own_lanes(all_specs, _lanes_by_node(sources.bpmn.values()))
    found = _Found()
    for text, located in _human_task_problems(all_specs):
        found.add(text, located)
    roots = list(sources.bpmn.values())
    for text in _decision_problems(sources.dmn) + expression_problems(sources.bpmn, sources.dmn):
        found.add(text, text_problem(text, roots))
    found.raise_any()
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
    sources, found = _Sources(), _Found()
    fix = N_("Upload a BPMN 2.0 file saved by a BPMN modeler, or start again from the published version.")
    if not any(name.endswith(".bpmn") for name in files):
        found.add("No BPMN file was given.", problem(None, N_("No BPMN file was given."), fix))
    for name, data in sorted(files.items()):
        try:
            root = safe_xml.parse(name, data)
            data.decode("utf-8")
        except safe_xml.UnsafeXml as error:
            found.add(str(error), problem(None, error.message, fix, **error.params))
            continue
        except UnicodeDecodeError:
            text = f"{name} is not UTF-8 text."
            found.add(text, problem(None, N_("%(file)s is not UTF-8 text."), fix, file=name))
            continue
        kind = safe_xml.kind(root)
        if kind == "bpmn" and name.endswith(".bpmn"):
            # Before SpiffWorkflow's recursive parser sees it: a long chain ends in a RecursionError there.
            for too_big in size_problems(root):
                found.add(too_big.message % too_big.params, too_big)
            sources.bpmn[name] = root
        elif kind == "dmn" and name.endswith(".dmn"):
            sources.dmn[name] = root
        else:
            message = N_("%(file)s is neither a BPMN file (.bpmn) nor a DMN file (.dmn).")
            found.add(message % {"file": name}, problem(None, message, fix, file=name))
    found.raise_any()
    return sources


def _build_parser(sources: _Sources) -> SpiffBpmnParser:
    parser, found = SpiffBpmnParser(validator=VALIDATOR), _Found()
    for name, root in sources.dmn.items():
        _collect(found, name, root, parser.add_dmn_xml, root, filename=name)
    for name, root in sources.bpmn.items():
        _collect(found, name, root, parser.add_bpmn_xml, root, filename=name)
    found.raise_any()
    return parser


def _get_specs(
    parser: SpiffBpmnParser, process_id: str, sources: _Sources
) -> tuple[BpmnProcessSpec, dict[str, Any]]:
    if process_id not in parser.get_process_ids():
        ids = ", ".join(sorted(parser.get_process_ids())) or "none"
        located = problem(
            None,
            N_("The diagram has no process with the id %(process)s."),
            N_("Keep the process id of the version you started from."),
            process=process_id,
        )
        text = f"The process '{process_id}' is not in the files (found: {ids})."
        raise DiagramRefused([text], [located])
    found = _Found()
    root = next(iter(sources.bpmn.values()), None)
    specs = _collect(
        found,
        process_id,
        root,
        lambda: (parser.get_spec(process_id), parser.get_subprocess_specs(process_id)),
    )
    found.raise_any()
    return specs


class _Found:
    """Problems as English sentences (the CLI) and, one for one, located message ids (publishing)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.located: list[ValidationProblem] = []

    def add(self, text: str, located: ValidationProblem) -> None:
        self.texts.append(text)
        self.located.append(located)

    def raise_any(self) -> None:
        if self.texts:
            raise DiagramRefused(self.texts, self.located)


def _collect(
    found: _Found, name: str, root: etree._Element | None, call: Any, *args: Any, **kwargs: Any
) -> Any:
    """Run one parser call, turning its failure into a problem instead of an exception."""
    try:
        return call(*args, **kwargs)
    except ValidationException as error:
        detail = str(error.args[0] if error.args else error)
        line = getattr(error, "line_number", None) or None
        found.add(
            _describe(error, name),
            parser_problem(detail, getattr(error, "id", None), line if isinstance(line, int) else None, root),
        )
    except RecursionError:
        text = f"{name} is nested or chained too deeply to be parsed."
        found.add(text, parser_problem("RecursionError", None, None, None))
    except Exception as error:  # SpiffWorkflow raises plain errors on some malformed input
        found.add(f"{name} could not be parsed: {error}.", parser_problem(str(error), None, None, root))
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


def _human_task_problems(specs: Iterable[BpmnProcessSpec]) -> list[tuple[str, ValidationProblem]]:
    problems = []
    for task_spec in _human_tasks(specs):
        task_id, lane, form_key = task_spec.bpmn_id, task_spec.lane, _form_key(task_spec)
        at = (str(task_id), str(task_spec.bpmn_name or ""))
        element = f"'{at[1]}' ({task_id})" if at[1] else str(task_id)
        if not lane:
            problems.append(
                (
                    f"User task '{task_id}' is in no lane; every user task needs a lane named after a role.",
                    ValidationProblem(*at, _NO_LANE, _FIX_LANE, {"element": element}),
                )
            )
        elif not IDENTIFIER.match(lane):
            problems.append(
                (
                    f"User task '{task_id}' is in lane '{lane}', which is not a role id.",
                    ValidationProblem(*at, _NOT_ROLE, _FIX_ROLE, {"lane": lane}),
                )
            )
        if not form_key:
            problems.append(
                (
                    f"User task '{task_id}' has no formKey property.",
                    ValidationProblem(*at, _NO_FORM, _FIX_FORM, {"element": element}),
                )
            )
        elif not IDENTIFIER.match(form_key):
            problems.append(
                (
                    f"User task '{task_id}' has the formKey '{form_key}', which is not a form file name.",
                    ValidationProblem(*at, _UNKNOWN_FORM, _FIX_FORM, {"value": form_key}),
                )
            )
    return problems


_NO_LANE = N_("The user task %(element)s is in no lane, so nobody would be offered it.")
_FIX_LANE = N_("Move it into a lane named after the role that does it, e.g. commune_assistant.")
_NOT_ROLE = N_("The lane %(lane)s is not one of Sala's roles.")
_FIX_ROLE = N_("Name the lane after a role from the list, e.g. commune_assistant.")
_NO_FORM = N_("The user task %(element)s has no form.")
_FIX_FORM = N_("Choose its form (formKey) in the properties panel.")
_UNKNOWN_FORM = N_("The form %(value)s does not exist.")


def _user_task_info(task_spec: Any) -> UserTaskInfo:
    return UserTaskInfo(
        spec_name=task_spec.bpmn_id,
        name=task_spec.bpmn_name or task_spec.bpmn_id,
        lane=task_spec.lane,
        form_key=_form_key(task_spec),
    )
