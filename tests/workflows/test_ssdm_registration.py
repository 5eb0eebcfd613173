"""Every path of the SSDM household registration: at the commune or referred by the village, confirmed,
sent back (many times), or rejected, with the outcome its family reads when the case closes."""

from pathlib import Path

import pytest
from lxml import etree

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import Case
from webapp.engine import DeployedProcess, ProcessEngine, SpecRef, StepResult

REGISTER = {"head_spid": "170000000013", "registration_note": ""}
REFERRAL = {
    "head_name_km": "សុខ ចាន់",
    "head_name_latin": "Sok Chan",
    "village": "17010101",
    "phone": "",
    "referral_reason": "The father cannot work since the accident.",
}
CONFIRM = {"registration_decision": "confirm", "registration_reason": "Checked against the family book."}
SEND_BACK = {"registration_decision": "send_back", "registration_reason": "The wife's birth date is missing."}
REJECT = {"registration_decision": "reject", "registration_reason": "The household lives in another commune."}
CORRECTED = {"correction_note": "Birth date added from the family book."}
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "dc": "http://www.omg.org/spec/DD/20100524/DC"}


def ready(result: StepResult) -> list[tuple[str, str | None]]:
    return [(task.spec_name, task.lane) for task in result.ready_tasks]


@pytest.fixture
def registration(engine: ProcessEngine, deployed: dict[str, DeployedProcess]) -> Case:
    process = deployed["ssdm_registration"]
    return Case(engine, SpecRef(content_hash=process.content_hash, spec_json=process.spec_json))


def test_a_household_met_at_the_commune_is_registered_first(registration: Case) -> None:
    result = registration.start({"channel": "commune"})

    assert ready(result) == [("register_household", "commune_assistant")]


def test_a_referral_lands_at_the_commune_after_the_village(registration: Case) -> None:
    result = registration.start({"channel": "village"})
    assert ready(result) == [("refer_household", "vdc_member")]

    result = registration.complete("refer_household", REFERRAL)

    assert ready(result) == [("register_household", "commune_assistant")]


def test_the_district_confirms_and_the_household_is_registered(registration: Case) -> None:
    registration.start({"channel": "commune"})
    result = registration.complete("register_household", REGISTER)
    assert ready(result) == [("confirm_registration", "district_ssdm_assistant")]

    result = registration.complete("confirm_registration", CONFIRM)

    assert result.finished
    assert result.data["outcome"] == "registered"
    assert result.data["outcome_reason"] == CONFIRM["registration_reason"]


def test_the_district_rejects_with_its_reason(registration: Case) -> None:
    registration.start({"channel": "village"})
    registration.complete("refer_household", REFERRAL)
    registration.complete("register_household", REGISTER)

    result = registration.complete("confirm_registration", REJECT)

    assert result.finished
    assert result.data["outcome"] == "rejected"
    assert result.data["outcome_reason"] == REJECT["registration_reason"]


def test_a_registration_sent_back_is_corrected_at_the_commune_and_checked_again(registration: Case) -> None:
    registration.start({"channel": "commune"})
    registration.complete("register_household", REGISTER)

    result = registration.complete("confirm_registration", SEND_BACK)
    assert ready(result) == [("correct_registration", "commune_assistant")]
    result = registration.complete("correct_registration", CORRECTED)
    assert [t.spec_name for t in result.ready_tasks] == ["confirm_registration"]

    result = registration.complete("confirm_registration", CONFIRM)
    assert result.data["outcome"] == "registered"


def test_two_hundred_rounds_of_corrections_never_lose_the_task(registration: Case) -> None:
    registration.start({"channel": "commune"})
    registration.complete("register_household", REGISTER)
    for _ in range(200):
        registration.complete("confirm_registration", SEND_BACK)
        registration.complete("correct_registration", CORRECTED)

    result = registration.complete("confirm_registration", CONFIRM)

    assert result.finished and result.data["outcome"] == "registered"


def test_every_element_of_the_registration_diagram_is_drawn_in_its_lane() -> None:
    root = etree.parse(str(Path(WORKFLOWS) / "ssdm_registration.bpmn")).getroot()
    bounds = {}
    for shape in root.iterfind(".//{*}BPMNShape"):
        box = shape.find("dc:Bounds", NS)
        bounds[shape.get("bpmnElement")] = tuple(float(box.get(k)) for k in ("x", "y", "width", "height"))
    for lane in root.iterfind(".//bpmn:lane", NS):
        left, top, width, height = bounds[lane.get("id")]
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = bounds[ref.text]
            if ref.text == "registration_check":
                continue  # the loop spans the commune and district lanes, as its tasks do
            assert left <= x + w / 2 <= left + width and top <= y + h / 2 <= top + height, ref.text
