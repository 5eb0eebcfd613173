"""Publishing cannot break running work: contracts, call cycles, run limits, size, step kinds, wording."""

import time

import pytest

from tests.publishing_samples import APPLICATION, WORKFLOWS, shipped_bpmn, shipped_files
from tests.workflows.samples import sample_bpmn
from webapp.domain.errors import DomainError
from webapp.domain.people import ROLES
from webapp.engine import ProcessContract, ProcessEngine, RunLimitExceeded, RunLimits, SpecRef, StepFailed
from webapp.engine.call_graph import called_processes_of
from webapp.engine.diagram_size import MAX_CHAIN, MAX_STEPS
from webapp.engine.validation import Vocabulary, validate_process
from webapp.forms import load_forms
from webapp.services.deadlines.calendars import create_process_engine

ENGINE = create_process_engine()
FORMS = load_forms(WORKFLOWS.parent / "forms")
SALA = Vocabulary(
    roles=frozenset(ROLES),
    forms=frozenset(FORMS),
    variables=frozenset(field.name for spec in FORMS.values() for field in spec.fields),
    form_fields={key: frozenset(field.name for field in spec.fields) for key, spec in FORMS.items()},
)
SMALL = Vocabulary(roles={"commune_assistant"}, forms={"sample_form"})

# What webapp/services/applications opens and reads: it starts the process with no data, expects the one
# ready task `intake` (lane commune_assistant), completes it with the intake form's data and the documents,
# and reads outcome and outcome_reason when the case ends (tasks._close; the result letter).
APPLICATION_CONTRACT = ProcessContract(
    process_id=APPLICATION,
    start_task="intake",
    start_role="commune_assistant",
    start_form="application_intake",
    start_variables=frozenset(
        {
            "programme",
            "sector",
            "age",
            "sex",
            "equity_card",
            "disability",
            "pregnant",
            "living_with_hiv",
            "enrolled_in_school",
            "household_size",
            "documents",
        }
    ),
    end_variables=frozenset({"outcome", "outcome_reason"}),
    end_values={"outcome": frozenset({"approved", "rejected"})},
)

START_TO_END = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="{APPLICATION}" name="SSDM programme application" isExecutable="true">
    <bpmn:startEvent id="begin" name="Begin"><bpmn:outgoing>f</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="begin" targetRef="done" />
    <bpmn:endEvent id="done" name="Done"><bpmn:incoming>f</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>""".encode()


def validate(bpmn: bytes, vocabulary: Vocabulary = SALA, **kwargs) -> list:
    files = {**shipped_files(), f"{APPLICATION}.bpmn": bpmn}
    return validate_process(APPLICATION, files, engine=ENGINE, vocabulary=vocabulary, **kwargs)


def texts(found: list) -> list[str]:
    return [p.message % p.params for p in found]


# 1. Contracts -----------------------------------------------------------------------------------------------


def test_the_shipped_application_keeps_its_contract() -> None:
    assert validate(shipped_bpmn(), contract=APPLICATION_CONTRACT) == []


def test_a_start_to_end_diagram_breaks_the_application_contract_naming_what_to_keep() -> None:
    assert validate(START_TO_END) == []  # valid BPMN: this is what was published and broke every new case
    found = validate(START_TO_END, contract=APPLICATION_CONTRACT)
    assert texts(found) == [
        "Sala opens a case by completing the user task intake (lane commune_assistant): it is missing.",
        "A case can reach 'Done' (done) without outcome, outcome_reason; Sala reads them at the end.",
    ]
    assert found[1].element_id == "done" and found[1].element_name == "Done"
    assert all(p.hint for p in found)


def test_a_path_that_skips_the_outcome_or_invents_a_value_is_refused() -> None:
    text = shipped_bpmn().decode()
    skipped = text.replace(
        'sourceRef="record_rejection" targetRef="application_rejected"',
        'sourceRef="record_rejection" targetRef="application_rejected"',
    ).replace('outcome = "rejected"\noutcome_reason = eligibility_reason', "note = 1")
    found = validate(skipped.encode(), contract=APPLICATION_CONTRACT)
    assert [(p.element_id, p.message % p.params) for p in found] == [
        (
            "application_rejected",
            "A case can reach 'Application rejected' (application_rejected) without outcome, outcome_reason;"
            " Sala reads them at the end.",
        )
    ]
    invented = text.replace('outcome = "rejected"\n', 'outcome = "maybe"\n')
    (found_value,) = validate(invented.encode(), contract=APPLICATION_CONTRACT)
    assert found_value.element_id == "record_rejection"
    assert "maybe" in found_value.message % found_value.params


def test_a_step_before_the_intake_or_a_moved_intake_breaks_the_contract() -> None:
    text = shipped_bpmn().decode()
    moved = text.replace("<bpmn:flowNodeRef>intake</bpmn:flowNodeRef>", "").replace(
        "<bpmn:flowNodeRef>document_check</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>document_check</bpmn:flowNodeRef><bpmn:flowNodeRef>intake</bpmn:flowNodeRef>",
    )
    found = validate(moved.encode(), contract=APPLICATION_CONTRACT)
    assert texts(found) == ["'Take the application' (intake) must be in the lane commune_assistant."]


# 2. Call cycles and run limits ------------------------------------------------------------------------------


def calling(process_id: str, callee: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:callActivity id="again" name="Again" calledElement="{callee}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>""".encode()


def test_a_call_activity_calling_its_own_process_is_refused() -> None:
    found = validate_process("loop", {"loop.bpmn": calling("loop", "loop")}, engine=ENGINE, vocabulary=SMALL)
    assert [(p.element_id, p.message % p.params) for p in found] == [
        (
            "again",
            "'Again' (again) calls loop, which leads back to loop (loop → loop): a case would never start.",
        )
    ]


def test_a_cycle_through_an_already_published_process_is_refused() -> None:
    published = {
        **called_processes_of("b.bpmn", calling("b", "c")),
        **called_processes_of("c.bpmn", calling("c", "a")),
    }
    found = validate_process(
        "a", {"a.bpmn": calling("a", "b")}, engine=ENGINE, vocabulary=SMALL, published_calls=published
    )
    assert any("(a → b → c → a)" in text for text in texts(found))
    assert not any(
        "→" in text
        for text in texts(
            validate_process(
                "a",
                {"a.bpmn": calling("a", "b")},
                engine=ENGINE,
                vocabulary=SMALL,
                published_calls={"b": {"c"}},
            )
        )
    )


def test_an_engine_run_that_never_stops_is_cut_at_the_step_limit() -> None:
    engine = ProcessEngine(limits=RunLimits(max_steps=50, max_seconds=30))
    deployed = engine.deploy("loop", {"loop.bpmn": calling("loop", "loop")})
    started = time.monotonic()
    with pytest.raises(RunLimitExceeded) as stopped:
        engine.start(SpecRef(deployed.content_hash, deployed.spec_json), {})
    assert time.monotonic() - started < 10
    error = stopped.value
    assert isinstance(error, StepFailed) and isinstance(error, DomainError)  # services and web translate it
    assert error.message == RunLimitExceeded.STEPS and error.params["steps"] == "50"
    assert error.status == 409


def test_an_engine_run_that_never_stops_is_cut_at_the_time_limit() -> None:
    engine = ProcessEngine(limits=RunLimits(max_steps=10**9, max_seconds=0.3))
    deployed = engine.deploy("loop", {"loop.bpmn": calling("loop", "loop")})
    with pytest.raises(RunLimitExceeded) as stopped:
        engine.start(SpecRef(deployed.content_hash, deployed.spec_json), {})
    assert stopped.value.message == RunLimitExceeded.SECONDS and stopped.value.params["seconds"] == "0.3"


# 3. Size ----------------------------------------------------------------------------------------------------


def chain(steps: int) -> bytes:
    parts = ['<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>']
    previous = "start"
    for i in range(steps):
        parts.append(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{previous}" targetRef="t{i}" />')
        parts.append(
            f'<bpmn:scriptTask id="t{i}" name="Step {i}"><bpmn:script>x = {i}</bpmn:script></bpmn:scriptTask>'
        )
        previous = f"t{i}"
    parts.append(f'<bpmn:sequenceFlow id="f{steps}" sourceRef="{previous}" targetRef="end" />')
    parts.append('<bpmn:endEvent id="end" />')
    return (
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        'targetNamespace="x">'
        '<bpmn:process id="chain" isExecutable="true">'
        + "".join(parts)
        + "</bpmn:process></bpmn:definitions>"
    ).encode()


def test_a_ten_thousand_step_chain_is_refused_quickly_with_a_size_message() -> None:
    started = time.monotonic()
    found = validate_process("chain", {"chain.bpmn": chain(10_000)}, engine=ENGINE, vocabulary=SMALL)
    assert time.monotonic() - started < 5  # generous on a busy machine; bench/publishing.py measures it
    assert texts(found) == [f"The diagram has 10002 steps; Sala accepts at most {MAX_STEPS} in one file."]


def test_a_chain_longer_than_the_engine_can_parse_is_refused_on_its_element_without_recursion_text() -> None:
    found = validate_process("chain", {"chain.bpmn": chain(MAX_CHAIN + 50)}, engine=ENGINE, vocabulary=SMALL)
    (problem,) = found
    assert problem.element_id == f"t{MAX_CHAIN - 1}"  # the start event is step 1
    assert "Recursion" not in problem.message % problem.params


def test_a_long_chain_within_the_limits_is_checked_in_full() -> None:
    assert (
        validate_process("chain", {"chain.bpmn": chain(MAX_CHAIN - 10)}, engine=ENGINE, vocabulary=SMALL)
        == []
    )


# 4. Steps Sala cannot run -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("serviceTask", "'Prepare' (prepare) is a service task, and Sala has no service a process can call."),
        ("sendTask", "'Prepare' (prepare) sends or waits for a message, and Sala delivers no messages"),
        ("receiveTask", "'Prepare' (prepare) sends or waits for a message, and Sala delivers no messages"),
    ],
)
def test_steps_sala_cannot_run_are_refused_on_their_element(tag: str, expected: str) -> None:
    bpmn = (
        sample_bpmn()
        .replace(b"bpmn:scriptTask", f"bpmn:{tag}".encode())
        .replace(b"<bpmn:script>greeting = 'hello'</bpmn:script>", b"")
    )
    found = validate_process("sample", {"sample.bpmn": bpmn}, engine=ENGINE, vocabulary=SMALL)
    assert [p.element_id for p in found] == ["prepare"]
    assert (found[0].message % found[0].params).startswith(expected)


def test_a_message_start_event_is_refused() -> None:
    bpmn = sample_bpmn().replace(
        b'<bpmn:startEvent id="start"><bpmn:outgoing>to_prepare</bpmn:outgoing>',
        b'<bpmn:startEvent id="start"><bpmn:outgoing>to_prepare</bpmn:outgoing>'
        b"<bpmn:messageEventDefinition />",
    )
    found = validate_process("sample", {"sample.bpmn": bpmn}, engine=ENGINE, vocabulary=SMALL)
    assert [p.element_id for p in found] == ["start"]


# 5. Wording: located, no schema text, once ------------------------------------------------------------------


def test_schema_errors_name_the_element_and_carry_no_schema_text() -> None:
    bpmn = sample_bpmn().replace(b'<bpmn:endEvent id="end">', b'<bpmn:endEvent id="end"><bpmn:bogus />')
    found = validate_process("sample", {"sample.bpmn": bpmn}, engine=ENGINE, vocabulary=SMALL)
    assert texts(found) == ["end contains a bogus where the BPMN 2.0 standard does not allow one."]
    assert found[0].element_id == "end"
    bad_value = sample_bpmn().replace(b'name="Ask"', b'name="Ask" completionQuantity="x"')
    (problem,) = validate_process("sample", {"sample.bpmn": bad_value}, engine=ENGINE, vocabulary=SMALL)
    assert problem.element_id == "ask" and "{http" not in problem.message % problem.params
    assert "completionQuantity" in problem.message % problem.params


def test_broken_xml_gives_the_line_not_lxml_advice() -> None:
    (problem,) = validate_process("sample", {"sample.bpmn": b"<a>\n<b></a>"}, engine=ENGINE, vocabulary=SMALL)
    assert problem.message % problem.params == "sample.bpmn is not well-formed XML (line 2)."


def test_engine_problems_name_the_element_and_are_not_repeated() -> None:
    no_lane = validate_process(
        "sample", {"sample.bpmn": sample_bpmn(lane=None)}, engine=ENGINE, vocabulary=SMALL
    )
    assert [(p.element_id, p.message % p.params) for p in no_lane] == [
        ("ask", "The user task 'Ask' (ask) is in no lane, so nobody would be offered it.")
    ]
    dunder = sample_bpmn(script="greeting = ().__class__")
    found = validate_process("sample", {"sample.bpmn": dunder}, engine=ENGINE, vocabulary=SMALL)
    assert [p.element_id for p in found] == ["prepare"]  # Sala's check and the engine's, said once
    twice = sample_bpmn(condition="open(1) or open(1)")
    assert len(validate_process("sample", {"sample.bpmn": twice}, engine=ENGINE, vocabulary=SMALL)) == 1


def test_two_outgoing_flows_from_a_task_are_explained() -> None:
    bpmn = sample_bpmn().replace(
        b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="end" />',
        b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="end" />'
        b'<bpmn:sequenceFlow id="to_done2" sourceRef="ask" targetRef="end" />',
    )
    found = validate_process("sample", {"sample.bpmn": bpmn}, engine=ENGINE, vocabulary=SMALL)
    assert texts(found) == ["'Ask' (ask) has more than one outgoing flow, which only gateways may have."]
