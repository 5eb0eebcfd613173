"""Publishing checks, one rule at a time, on small diagrams and on mutations of the shipped application."""

from pathlib import Path

import pytest

from tests.workflows.samples import FORM_KEY, sample_bpmn
from webapp.engine.library import directory_files
from webapp.engine.validation import Vocabulary, validate_process
from webapp.services.deadlines.calendars import create_process_engine

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
APPLICATION = "ssdm_programme_application"
VOCABULARY = Vocabulary(
    roles={"commune_assistant", "district_ssdm_assistant"}, forms={"sample_form"}, letters={"result_notice"}
)
ENGINE = create_process_engine()  # with working_deadline, as Sala runs it


def problems(bpmn: bytes, vocabulary: Vocabulary = VOCABULARY, process_id: str = "sample") -> list:
    return validate_process(process_id, {"sample.bpmn": bpmn}, engine=ENGINE, vocabulary=vocabulary)


def messages(found: list) -> list[str]:
    return [p.message % p.params for p in found]


def test_a_sound_diagram_has_no_problem() -> None:
    assert problems(sample_bpmn()) == []


def test_the_shipped_application_process_passes_with_sala_vocabulary() -> None:
    from webapp.domain.people import ROLES
    from webapp.forms import load_forms

    forms = load_forms(WORKFLOWS.parent / "forms")
    variables = {field.name for spec in forms.values() for field in spec.fields} | {"sector", "age"}
    files = directory_files(WORKFLOWS)[APPLICATION]
    vocabulary = Vocabulary(roles=set(ROLES), forms=set(forms), variables=variables)
    assert validate_process(APPLICATION, files, engine=ENGINE, vocabulary=vocabulary) == []


def test_a_lane_that_is_not_a_role_is_named_with_its_element() -> None:
    (found,) = problems(sample_bpmn(lane="village_chief"))
    assert (found.element_id, found.element_name) == ("lane_1", "village_chief")
    assert found.message % found.params == "The lane village_chief is not one of Sala's roles."
    assert "role" in found.hint


def test_an_unknown_form_is_refused_on_its_task() -> None:
    bpmn = sample_bpmn(user_task_extensions=FORM_KEY.replace("sample_form", "missing_form"))
    (found,) = problems(bpmn)
    assert (found.element_id, found.element_name) == ("ask", "Ask")
    assert found.message % found.params == "The form missing_form does not exist."


def test_an_unknown_letter_is_refused_and_known_letters_pass() -> None:
    letter = '<spiffworkflow:property name="letter" value="%s" />'
    extensions = FORM_KEY.replace("</spiffworkflow:properties>", letter + "</spiffworkflow:properties>")
    assert problems(sample_bpmn(user_task_extensions=extensions % "result_notice")) == []
    (found,) = problems(sample_bpmn(user_task_extensions=extensions % "love_letter"))
    assert found.element_id == "ask" and "love_letter" in found.message % found.params


def test_scripts_may_use_helpers_their_own_variables_and_case_variables_only() -> None:
    ok = sample_bpmn(script="greeting = str(len([1, 2]))", condition="greeting == 'x' and age > 60")
    assert problems(ok, Vocabulary(roles=VOCABULARY.roles, forms=VOCABULARY.forms, variables={"age"})) == []
    found = problems(sample_bpmn(condition="open('/etc/passwd')"))
    assert messages(found) == ["The code of to_ask uses open: neither a helper nor a case variable."]
    assert found[0].element_id == "to_ask"


def test_scripts_may_not_read_hidden_attributes() -> None:
    found = problems(sample_bpmn(script="greeting = date_today._x"))
    assert "The code of prepare reads the hidden attribute _x." in messages(found)


def test_an_unreachable_task_is_found() -> None:
    lonely = sample_bpmn().replace(
        b"</bpmn:process>",
        b'<bpmn:task id="orphan" name="Lonely"><bpmn:outgoing>o</bpmn:outgoing></bpmn:task>'
        b'<bpmn:sequenceFlow id="o" sourceRef="orphan" targetRef="end" /></bpmn:process>',
    )
    found = problems(lonely)
    assert messages(found) == ["'Lonely' (orphan) cannot be reached from a start event."]
    assert (found[0].element_id, found[0].element_name) == ("orphan", "Lonely")
    assert "sequence flow" in found[0].hint


def test_a_step_that_leads_nowhere_is_a_dead_end() -> None:
    stuck = sample_bpmn().replace(
        b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="end" />',
        b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="stuck" />'
        b'<bpmn:task id="stuck" name="Stuck"><bpmn:incoming>to_done</bpmn:incoming></bpmn:task>',
    )
    assert "'Stuck' (stuck) leads nowhere: the case would stop there." in messages(problems(stuck))


def test_duplicate_ids_are_named() -> None:
    bpmn = sample_bpmn().replace(b'id="end"', b'id="ask"')
    assert "The id ask is used by 2 elements." in messages(problems(bpmn))


def test_a_diagram_without_the_process_is_refused() -> None:
    found = messages(problems(sample_bpmn(process_id="other")))
    assert "The diagram has no process with the id sample." in found


TIMER = (
    '<bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:incoming>to_done</bpmn:incoming>'
    "<bpmn:outgoing>after_wait</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:{kind} "
    'xsi:type="bpmn:tFormalExpression">{value}</bpmn:{kind}></bpmn:timerEventDefinition>'
    '</bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="after_wait" sourceRef="wait" targetRef="end" />'
)


def timer_bpmn(value: str, kind: str = "timeDuration") -> bytes:
    base = sample_bpmn().replace(b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="end" />', b"")
    base = base.replace(b"<bpmn:incoming>to_done</bpmn:incoming><bpmn:incoming>to_end</bpmn:incoming>", b"")
    timer = TIMER.format(kind=kind, value=value).encode()
    flows = (
        b'<bpmn:sequenceFlow id="to_done" sourceRef="ask" targetRef="wait" />' + timer + b"</bpmn:process>"
    )
    base = base.replace(
        b'<bpmn:endEvent id="end">',
        b'<bpmn:endEvent id="end"><bpmn:incoming>after_wait</bpmn:incoming>'
        b"<bpmn:incoming>to_end</bpmn:incoming>",
    )
    return base.replace(b"</bpmn:process>", flows)


@pytest.mark.parametrize(
    ("value", "kind"),
    [('"P5D"', "timeDuration"), ('"PT4H"', "timeDuration"), ('"2026-12-01T08:00:00+07:00"', "timeDate")],
)
def test_quoted_iso_timers_pass(value: str, kind: str) -> None:
    assert problems(timer_bpmn(value, kind)) == []


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("P5D", "timeDuration", "The timer of wait uses P5D, which is not a script helper."),
        ('"5 days"', "timeDuration", "The timer of wait gives 5 days, which is not an ISO 8601 value."),
        (
            '"P99999999M"',
            "timeDuration",
            "The timer of wait gives P99999999M, which is not an ISO 8601 value.",
        ),
        ('"P" * 10', "timeDuration", "The timer of wait may use only quoted values, helper calls, + and %."),
        (
            '"2026-12-01T08:00:00"',
            "timeDate",
            "The date 2026-12-01T08:00:00 of the timer of wait has no time zone.",
        ),
        ("int('x')", "timeDuration", "The timer of wait fails: ValueError."),
        ("", "timeDuration", "The timer of wait is empty."),
    ],
)
def test_timers_that_do_not_evaluate_are_refused(value: str, kind: str, expected: str) -> None:
    found = [p for p in problems(timer_bpmn(value, kind)) if p.element_id == "wait"]
    assert [p.message % p.params for p in found] == [expected]
    assert found[0].element_name == "Wait" and '"P5D"' in found[0].hint


def test_sla_targets_must_be_working_durations_and_calendars_must_exist() -> None:
    sla = (
        '<spiffworkflow:property name="slaTarget" value="%s" />'
        '<spiffworkflow:property name="slaCalendar" value="%s" />'
    )
    vocabulary = Vocabulary(
        roles=VOCABULARY.roles,
        forms=VOCABULARY.forms,
        calendars={"government"},
        is_duration=lambda text: text in ("P5D", "PT4H"),
    )

    def found(target: str, calendar: str) -> list[str]:
        extensions = FORM_KEY.replace(
            "</spiffworkflow:properties>", sla % (target, calendar) + "</spiffworkflow:properties>"
        )
        return messages(problems(sample_bpmn(user_task_extensions=extensions), vocabulary))

    assert found("P5D", "government") == []
    assert found("five days", "government") == ["The time to finish five days is not a working duration."]
    assert found("PT4H", "nssf_7days") == ["The calendar nssf_7days does not exist."]
