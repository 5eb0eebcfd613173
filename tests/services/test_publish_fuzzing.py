"""Malformed and hostile diagrams thrown at the publish path: each is refused, and nothing changes."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.factories import user
from tests.publishing_samples import APPLICATION, shipped_bpmn
from webapp.domain.errors import InvalidInput
from webapp.domain.workflows import WorkflowVersion
from webapp.forms import load_forms
from webapp.services.casework.versions import latest_version
from webapp.services.processes import publishing
from webapp.settings import PROJECT_ROOT

FORMS = load_forms(PROJECT_ROOT / "forms")
SHIPPED = shipped_bpmn().decode("utf-8")
IDS = re.findall(r' id="([^"]+)"', SHIPPED)
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
BPMN_OPEN = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'

BILLION_LAUGHS = (
    HEADER + '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' + BPMN_OPEN + "&lol3;</bpmn:definitions>"
)
EXTERNAL_ENTITY = (
    HEADER
    + '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + BPMN_OPEN
    + "&xxe;</bpmn:definitions>"
)
CORPUS = {
    "empty": "",
    "not xml": "This is not a diagram at all.",
    "json": '{"process": "ssdm_programme_application"}',
    "truncated": SHIPPED[: len(SHIPPED) // 2],
    "billion laughs": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "no process": HEADER + BPMN_OPEN + "</bpmn:definitions>",
    "another process": SHIPPED.replace(f'<bpmn:process id="{APPLICATION}"', '<bpmn:process id="other"'),
    "duplicate ids": SHIPPED.replace('id="announce_result"', 'id="intake"'),
    "dmn instead of bpmn": (PROJECT_ROOT / "workflows" / "programme_eligibility.dmn").read_text(),
    "utf-16": SHIPPED.replace('encoding="UTF-8"', 'encoding="UTF-16"'),
    "dunder script": SHIPPED.replace('sector == "health"', "().__class__.__bases__"),
    "unknown lane": SHIPPED.replace('name="inter_sector_officer"', 'name="village_chief"'),
    "dangling flow": SHIPPED.replace('targetRef="announce_result"', 'targetRef="nowhere"'),
}


def _attempt(session, engine, bpmn_xml: str) -> None:
    """Saves and publishes `bpmn_xml`; asserts it was refused clearly and that nothing was published."""
    before = session.scalar(select(func.count()).select_from(WorkflowVersion))
    serving = latest_version(session, APPLICATION)
    actor = user(session, "sup.ac")
    draft = publishing.start_draft(session, version_id=serving.id, actor=actor)
    try:
        publishing.save_draft(session, draft_id=draft.id, bpmn_xml=bpmn_xml, change_note="", actor=actor)
    except InvalidInput as error:  # too large to keep: refused at saving, with its reason
        assert error.errors
        return
    outcome = publishing.publish_draft(session, engine=engine, forms=FORMS, draft_id=draft.id, actor=actor)
    assert outcome.version is None
    assert outcome.problems
    for problem in outcome.problems:
        text = problem.message % problem.params
        assert text.strip() and problem.hint.strip()
        assert "Traceback" not in text
    assert session.scalar(select(func.count()).select_from(WorkflowVersion)) == before
    assert latest_version(session, APPLICATION).id == serving.id


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_or_hostile_diagram_is_refused(session, process_engine, name):
    _attempt(session, process_engine, CORPUS[name])


def test_a_huge_diagram_is_refused(session, process_engine):
    padding = "<bpmn:documentation>" + "ក" * 800_000 + "</bpmn:documentation>"
    _attempt(session, process_engine, SHIPPED.replace("</bpmn:process>", padding + "</bpmn:process>"))


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(position=st.integers(min_value=1, max_value=len(SHIPPED) - 2))
def test_a_truncated_diagram_is_refused(session, process_engine, position):
    _attempt(session, process_engine, SHIPPED[:position])


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(SHIPPED) - 1), junk=st.sampled_from(["<", "&", "</x>"])
)
def test_markup_dropped_into_the_diagram_is_refused(session, process_engine, position, junk):
    _attempt(session, process_engine, SHIPPED[:position] + junk + SHIPPED[position:])


@FUZZ
@given(pair=st.lists(st.sampled_from(sorted(set(IDS))), min_size=2, max_size=2, unique=True))
def test_an_id_given_to_a_second_element_is_refused(session, process_engine, pair):
    first, second = pair
    _attempt(session, process_engine, SHIPPED.replace(f' id="{second}"', f' id="{first}"'))
