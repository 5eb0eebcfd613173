"""A DMN decision table evaluated on its own, outside any case: the rules a process uses, read for advice.

Matching (which programmes a person is likely eligible for) asks the same table the application process runs,
so an officer's advice and the process's decision never disagree.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from webapp.domain.errors import WorkflowInvalid
from webapp.engine import safe_xml
from webapp.engine.runner import StepFailed


class DecisionTables:
    """Parsed decision tables kept per content hash; evaluating one runs its rules with the script engine."""

    def __init__(self, script_engine: PythonScriptEngine, cache_size: int = 16) -> None:
        self._script_engine = script_engine
        self._cache: OrderedDict[tuple[str, str], DMNEngine] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def evaluate(self, name: str, xml: bytes, decision_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The outputs of the first matching rule (hit policy FIRST or UNIQUE); empty when none matches."""
        table = self._table(name, xml, decision_id)
        task = SimpleNamespace(data=dict(inputs), workflow=SimpleNamespace(script_engine=self._script_engine))
        try:
            return dict(table.result(task))
        except Exception as error:  # a rule that raises stops the advice, never a case: name it plainly
            raise StepFailed(decision_id, str(error)) from error

    def _table(self, name: str, xml: bytes, decision_id: str) -> DMNEngine:
        key = (hashlib.sha256(xml).hexdigest(), decision_id)
        with self._lock:
            table = self._cache.get(key)
            if table is not None:
                self._cache.move_to_end(key)
                return table
        table = _parse(name, xml, decision_id)
        with self._lock:
            self._cache[key] = table
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return table


def _parse(name: str, xml: bytes, decision_id: str) -> DMNEngine:
    try:
        root = safe_xml.parse(name, xml)
    except safe_xml.UnsafeXml as error:
        raise WorkflowInvalid(problems=[str(error)]) from error
    parser = SpiffBpmnParser()
    try:
        parser.add_dmn_xml(root, filename=name)
        return parser.get_engine(decision_id, root)
    except Exception as error:  # SpiffWorkflow's ValidationException and friends
        raise WorkflowInvalid(problems=[f"{name}: {error}"]) from error
