"""Publishing checks on long chains of steps: 1,000, 5,000 and 10,000 script tasks in a row.

Prints, per size, the time of the whole publishing check (`validate_process`, which refuses these sizes at
once), of the size check, and of the reachability and dead-end check (`flow_problems`) run on its own, against
the baseline measured in the same run: the old dead-end check, which scanned every sequence flow for every
step (quadratic). The baseline stops at 5,000 steps unless `--baseline-all` (10,000 takes about 20 s).

Run with `.venv/bin/python bench/publishing.py`.
"""

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from webapp.engine import ProcessEngine, safe_xml  # noqa: E402
from webapp.engine.diagram_graph import FLOW_NODES, flow_problems  # noqa: E402
from webapp.engine.diagram_size import size_problems  # noqa: E402
from webapp.engine.validation import Vocabulary, validate_process  # noqa: E402

_B = "{" + safe_xml.BPMN_NS + "}"


def chain(steps: int) -> bytes:
    parts = ['<bpmn:startEvent id="start"/>']
    previous = "start"
    for i in range(steps):
        parts.append(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{previous}" targetRef="t{i}"/>')
        parts.append(
            f'<bpmn:scriptTask id="t{i}" name="Step {i}"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
        )
        previous = f"t{i}"
    parts.append(
        f'<bpmn:sequenceFlow id="f{steps}" sourceRef="{previous}" targetRef="end"/><bpmn:endEvent id="end"/>'
    )
    return (
        f'<bpmn:definitions xmlns:bpmn="{safe_xml.BPMN_NS}" id="d" targetNamespace="x">'
        '<bpmn:process id="chain" isExecutable="true">'
        + "".join(parts)
        + "</bpmn:process></bpmn:definitions>"
    ).encode()


def old_dead_ends(root: etree._Element) -> int:
    """The dead-end check as it was: for each step, a scan of all the scope's sequence flows."""
    found = 0
    for scope in root.iter(f"{_B}process"):
        for node in scope:
            if node.tag in FLOW_NODES and node.tag != f"{_B}endEvent":
                node_id = node.get("id")
                if not any(f.get("sourceRef") == node_id for f in scope.iterfind(f"{_B}sequenceFlow")):
                    found += 1
    return found


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-all", action="store_true")
    args = parser.parse_args()
    engine, vocabulary = ProcessEngine(), Vocabulary(roles=set(), forms=set())
    print(f"{'steps':>7} {'KB':>6} {'validate':>10} {'size':>8} {'flows':>8} {'old flows':>10}")
    for steps in (1_000, 5_000, 10_000):
        data = chain(steps)
        root = safe_xml.parse("chain.bpmn", data)
        whole = timed(
            lambda d=data: validate_process("chain", {"c.bpmn": d}, engine=engine, vocabulary=vocabulary)
        )
        size = timed(lambda r=root: size_problems(r))
        flows = timed(lambda r=root: flow_problems(r))
        old = "-"
        if steps <= 5_000 or args.baseline_all:
            old = f"{timed(lambda r=root: old_dead_ends(r)):9.3f}s"
        print(f"{steps:>7} {len(data) // 1024:>6} {whole:9.3f}s {size:7.3f}s {flows:7.3f}s {old:>10}")


if __name__ == "__main__":
    main()
