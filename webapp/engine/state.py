"""Turn specs and running workflows into JSON text and back; a case's state never contains its spec."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

# Bumped when Sala changes how it stores state (the serializer's own version travels inside the JSON).
STATE_VERSION = 1

_SPEC_KEYS = ("spec", "subprocess_specs")


@dataclass(frozen=True)
class LoadedSpec:
    """A deserialized process spec with the specs of its subprocesses, shared by every case of a version."""

    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the spec out when saving: the version row holds it, and converting it was a third of a save."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


def create_serializer() -> BpmnWorkflowSerializer:
    registry = BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: SpeclessWorkflowConverter})
    # Forms give dates; keep them dates across a save rather than fail the JSON dump.
    registry.register(
        date, lambda value: {"value": value.isoformat()}, lambda dct: date.fromisoformat(dct["value"])
    )
    return BpmnWorkflowSerializer(registry)


def dump_spec(
    serializer: BpmnWorkflowSerializer, spec: BpmnProcessSpec, subprocess_specs: dict[str, Any]
) -> str:
    dct = {
        "spec": serializer.to_dict(spec),
        "subprocess_specs": {name: serializer.to_dict(sub) for name, sub in subprocess_specs.items()},
    }
    return json.dumps(dct, sort_keys=False)


def load_spec(serializer: BpmnWorkflowSerializer, spec_json: str) -> LoadedSpec:
    dct = json.loads(spec_json)
    subprocess_specs = {name: serializer.from_dict(sub) for name, sub in dct["subprocess_specs"].items()}
    return LoadedSpec(serializer.from_dict(dct["spec"]), subprocess_specs)


def dump_state(serializer: BpmnWorkflowSerializer, workflow: BpmnWorkflow) -> str:
    """The workflow as JSON text without its spec; key order matters (task data is stored as deltas)."""
    dct = serializer.to_dict(workflow)
    for key in _SPEC_KEYS:
        dct.pop(key, None)
    dct[serializer.VERSION_KEY] = serializer.VERSION
    # Task data is stored as raw deltas, so values such as dates are converted by the registry's encoder.
    encoder = create_encoder(serializer.registry)
    return json.dumps(dct, cls=encoder, sort_keys=False, separators=(",", ":"))


def load_state(
    serializer: BpmnWorkflowSerializer, loaded: LoadedSpec, state: str, script_engine: PythonScriptEngine
) -> BpmnWorkflow:
    dct = json.loads(state)
    # The registry hands objects that are not dicts back unchanged, so the cached spec objects go straight in.
    dct["spec"] = loaded.spec
    dct["subprocess_specs"] = dict(loaded.subprocess_specs)
    serializer.migrate(dct)
    workflow: BpmnWorkflow = serializer.from_dict(dct)
    workflow.script_engine = script_engine
    return workflow
