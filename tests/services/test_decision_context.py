"""What the decider sees: each family's decision facts through the core's hook, the committee's view of the
first-round answer, and document thumbnails rendered once and kept."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from tests.factories import DOCUMENTS_OK, FIXTURES, TODAY, open_case, user, work
from tests.services.test_committees import sent_up
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.previews import DocumentThumbnail
from webapp.services.casework.documents import Upload
from webapp.services.casework.families import decision_facts
from webapp.services.casework.previews import render_thumbnail, thumbnail
from webapp.services.grievances.committees import agenda, schedule_meeting


def facts_by_label(session, case):
    return {fact.label: fact for fact in decision_facts(session, case)}


def test_the_back_office_sees_the_eligibility_result_with_the_rule_s_reason_and_the_household(
    session, process_engine
):
    case = open_case(session, process_engine, disability=True, pregnant=True)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    facts = facts_by_label(session, case)
    assert facts["Eligibility"].value == "Eligible" and facts["Eligibility"].headline
    assert facts["The rule's reason"].value and facts["The rule's reason"].kind == "message"
    assert facts["People in the household"].value == 4
    assert facts["Equity card"].value == "Poor level 1"
    assert facts["The applicant has a disability"].value is True
    assert facts["The applicant is pregnant"].value is True
    assert facts["Age of the applicant"].value == 76


def test_before_the_decision_table_runs_only_the_household_is_shown(session, process_engine):
    case = open_case(session, process_engine)
    labels = [fact.label for fact in decision_facts(session, case)]
    assert "Eligibility" not in labels and "People in the household" in labels


def test_a_grievance_at_level_2_shows_its_first_round_answer_and_who_gave_it(session, process_engine):
    grievance = sent_up(session, process_engine)
    facts = facts_by_label(session, session.get(Case, grievance.case_id))
    answer = facts["First-round answer"]
    assert (answer.value, answer.note) == (
        "Send it up to the committee",
        user(session, "ca.charchhuk").full_name,
    )
    assert facts["Reasons given to the person"].value == "Up"


def test_the_committee_agenda_carries_each_first_round_answer(session, process_engine):
    grievance = sent_up(session, process_engine)
    meeting = schedule_meeting(
        session, actor=user(session, "cwcc.ac"), meets_on=date(2026, 12, 1), today=TODAY
    )
    (item,) = [item for item in agenda(session, meeting=meeting) if item.grievance.id == grievance.id]
    assert item.level_one is not None
    assert (item.level_one.action, item.level_one.given_by) == (
        "Send it up to the committee",
        user(session, "ca.charchhuk").full_name,
    )


def test_a_pdf_s_first_page_becomes_a_small_png_rendered_once(session, process_engine):
    case = open_case(session, process_engine)
    (document,) = case.documents
    png = thumbnail(session, case=case, document_id=document.id, viewer=user(session, "ssdm.ac"))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width <= 240 and image.height <= 320
    kept = session.scalars(select(DocumentThumbnail)).all()
    assert [row.sha256 for row in kept] == [document.sha256]
    assert thumbnail(session, case=case, document_id=document.id, viewer=user(session, "ssdm.ac")) == png


def test_an_image_is_shrunk_to_a_thumbnail(session, process_engine):
    card = Upload("id_card", "id_card", "card.png", (FIXTURES / "id_card.png").read_bytes())
    case = open_case(session, process_engine, documents=[card])
    (document,) = case.documents
    png = thumbnail(session, case=case, document_id=document.id, viewer=user(session, "ca.charchhuk"))
    assert Image.open(io.BytesIO(png)).width <= 240


def test_a_damaged_file_has_no_thumbnail():
    assert render_thumbnail(b"%PDF-1.4 not really a pdf", "application/pdf") is None
    assert render_thumbnail(b"\x89PNG\r\n\x1a\n broken", "image/png") is None


def test_a_thumbnail_follows_the_document_s_reading_rule(session, process_engine):
    case = open_case(session, process_engine)
    (document,) = case.documents
    with pytest.raises(NotFound):
        thumbnail(session, case=case, document_id=document.id + 10_000, viewer=user(session, "ssdm.ac"))
