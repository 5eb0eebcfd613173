"""Which processes call which: a call chain that comes back to where it started is refused at publishing.

A call activity that calls its own process, directly or through others, starts a new instance of itself for
ever: starting a case never returns. The check looks at the files published together and at what the
already published processes call (the service passes it in, from `called_processes` of their stored XML).
"""

from collections import deque
from collections.abc import Collection, Iterable, Mapping

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import label, problem

_B = "{" + safe_xml.BPMN_NS + "}"


def called_processes(root: etree._Element) -> dict[str, frozenset[str]]:
    """Process id -> the process ids its call activities call (in subprocesses too)."""
    return {
        str(process.get("id")): frozenset(
            str(call.get("calledElement")).strip()
            for call in process.iter(f"{_B}callActivity")
            if (call.get("calledElement") or "").strip()
        )
        for process in root.iterfind(f"{_B}process")
        if process.get("id")
    }


def called_processes_of(name: str, data: bytes) -> dict[str, frozenset[str]]:
    """`called_processes` of a stored BPMN file; UnsafeXml when it cannot be read."""
    return called_processes(safe_xml.parse(name, data))


def call_cycle_problems(
    roots: Iterable[etree._Element], published: Mapping[str, Collection[str]] | None = None
) -> list[ValidationProblem]:
    """Every call activity of `roots` whose call chain leads back to its own process.

    `published` maps each already published process id to the ids it calls; the files' own processes
    replace their published versions.
    """
    roots = list(roots)
    calls: dict[str, frozenset[str]] = {key: frozenset(value) for key, value in (published or {}).items()}
    for root in roots:
        calls.update(called_processes(root))
    problems = []
    for root in roots:
        for process in root.iterfind(f"{_B}process"):
            own = str(process.get("id") or "")
            for call in process.iter(f"{_B}callActivity"):
                chain = _path(calls, str(call.get("calledElement") or "").strip(), own)
                if chain is not None:
                    problems.append(_cycle(call, own, chain))
    return problems


def _path(calls: Mapping[str, Collection[str]], start: str, goal: str) -> list[str] | None:
    """The shortest call chain from `start` to `goal` (both included), or None."""
    if not start or not goal:
        return None
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            chain = [current]
            while (previous := came_from[chain[-1]]) is not None:
                chain.append(previous)
            return chain[::-1]
        for callee in sorted(calls.get(current, ())):
            if callee not in came_from:
                came_from[callee] = current
                queue.append(callee)
    return None


_CYCLE = N_(
    "%(element)s calls %(process)s, which leads back to %(own)s (%(chain)s): a case would never start."
)


def _cycle(call: etree._Element, own: str, chain: list[str]) -> ValidationProblem:
    return problem(
        call,
        _CYCLE,
        N_("Call another process, or model the repetition as a loop (a subprocess with a loop condition)."),
        element=label(call),
        process=chain[0],
        own=own,
        chain=" → ".join([own, *chain]),
    )
