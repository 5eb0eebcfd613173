"""Scripts see only the whitelisted helpers, and deploy refuses scripts that reach for dunder attributes."""

import re

import pytest

from tests.workflows.samples import sample_bpmn
from webapp.domain.errors import WorkflowInvalid
from webapp.engine import ProcessEngine, SpecRef, StepFailed
from webapp.engine.script_env import (
    HELPERS,
    create_script_engine,
    date_today,
    dmn_entry_problems,
    script_problems,
)


def run(script: str) -> dict[str, object]:
    context: dict[str, object] = {"age": 42}
    create_script_engine().environment.execute(script, context)
    return context


@pytest.mark.parametrize(
    "script",
    [
        "handle = open('/etc/passwd')",
        "os = __import__('os')",
        "value = eval('1 + 1')",
        "exec('x = 1')",
        "names = globals()",
        "kind = type(age)",
        "getattr(age, 'real')",
    ],
)
def test_builtins_outside_the_whitelist_are_not_defined_in_scripts(script: str) -> None:
    with pytest.raises(NameError):
        run(script)


def test_whitelisted_helpers_work_and_do_not_stay_in_the_data() -> None:
    context = run("label = str(max(age, 18)) + '/' + str(len([1, 2]))\ntoday = date_today()")

    assert context["label"] == "42/2"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(context["today"]))
    assert not set(HELPERS) & set(context)
    assert "__builtins__" not in context


def test_expressions_have_no_builtins_either() -> None:
    environment = create_script_engine().environment

    assert environment.evaluate("min(age, 10)", {"age": 42}) == 10
    with pytest.raises(NameError):
        environment.evaluate("open('/etc/passwd')", {})


def test_extra_helpers_given_to_the_engine_are_available() -> None:
    environment = create_script_engine({"working_deadline": lambda period: f"due {period}"}).environment

    assert environment.evaluate('working_deadline("P5D")', {}) == "due P5D"


def test_date_today_is_an_iso_date() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_today())


def test_a_script_task_calling_open_fails_when_it_runs() -> None:
    engine = ProcessEngine()
    deployed = engine.deploy("sample", {"sample.bpmn": sample_bpmn(script="handle = open('/etc/passwd')")})

    with pytest.raises(StepFailed) as failure:
        engine.start(SpecRef(deployed.content_hash, deployed.spec_json), {})

    assert failure.value.spec_name == "prepare"
    assert "open" in failure.value.detail


def test_a_script_task_without_forbidden_names_runs() -> None:
    engine = ProcessEngine()
    deployed = engine.deploy("sample", {"sample.bpmn": sample_bpmn(script="greeting = str(len('hello'))")})

    result = engine.start(SpecRef(deployed.content_hash, deployed.spec_json), {})

    assert result.data["greeting"] == "5"
    assert [task.spec_name for task in result.ready_tasks] == ["ask"]


@pytest.mark.parametrize(
    "script",
    [
        "kind = ().__class__",
        "base = ().__class__.__bases__[0].__subclasses__()",
        "os = __import__('os')",
        "name = 'x'.__doc__",
    ],
)
def test_deploy_refuses_a_script_using_dunder_names(script: str) -> None:
    with pytest.raises(WorkflowInvalid) as refused:
        ProcessEngine().deploy("sample", {"sample.bpmn": sample_bpmn(script=script)})

    assert refused.value.problems == [
        "The script of 'prepare' in sample.bpmn uses a double-underscore name or attribute, "
        "which scripts may not use."
    ]


def test_script_problems_accepts_plain_code_and_names_the_place_of_a_syntax_error() -> None:
    assert (
        script_problems(
            "outcome = 'approved' if decision == 'approve' else 'rejected'", mode="exec", where="X"
        )
        == []
    )
    assert script_problems("outcome = (", mode="exec", where="The script of 'x'") == [
        "The script of 'x' does not compile: '(' was never closed (line 1)."
    ]


@pytest.mark.parametrize(
    "entry", ["-", "", None, "< 60", '"at_risk"', '? in ("a", "b")', "? < 6 or ? > 18", "!= True"]
)
def test_dmn_entries_in_spiffworkflow_syntax_are_accepted(entry: str | None) -> None:
    assert dmn_entry_problems(entry, where="The input entry 'r'") == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("? .__class__", "uses a double-underscore"),
        ("in (1, 2)", "starts with a word"),
        ("< < 3", "does not compile"),
    ],
)
def test_dmn_entries_that_would_fail_or_escape_are_refused(entry: str, expected: str) -> None:
    [problem] = dmn_entry_problems(entry, where="The input entry 'r'")

    assert expected in problem
