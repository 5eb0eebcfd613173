"""Issuing letters: at intake and at close, archived once, reprinted byte for byte, corrected by a new letter,
delivered, verified in public, and batched by the worker."""

import json
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, REJECT, TODAY, drain_jobs, open_case, user, work
from webapp.domain.base import utcnow
from webapp.domain.cases import ReferenceCounter
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.history import CaseEvent
from webapp.domain.jobs import DONE, Job
from webapp.domain.letters import Letter, LetterBlob, LetterImmutable
from webapp.letters.khmer import digits
from webapp.services.assembly.worker import HANDLERS
from webapp.services.correspondence import batches as letter_batches
from webapp.services.correspondence.letters import (
    case_letters,
    correct_letter,
    issue_letter,
    letter_pdf,
    mark_delivered,
)
from webapp.services.correspondence.verification import verify
from webapp.services.platform.jobs import WorkerContext, run_job, take_job


def letters_of(session, case, key=None):
    drain_jobs(session)  # letters are rendered by the worker once the request has committed
    return [letter for letter in case_letters(session, case=case) if key in (None, letter.key)]


def test_opening_an_application_issues_the_received_letter_on_the_timeline(session, process_engine):
    case = open_case(session, process_engine)
    (received,) = letters_of(session, case)
    assert received.key == "application_received"
    assert received.reference.startswith("LTR-1701-2026-")
    assert received.issued_on == TODAY and received.office_code == "170101"
    pdf = letter_pdf(session, letter=received)
    assert pdf.startswith(b"%PDF") and received.size == len(pdf)
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert "letter_issued" in kinds


@pytest.mark.parametrize("language", ["en", "both"])
def test_letters_go_out_in_the_language_the_applicant_chose(session, process_engine, language):
    case = open_case(session, process_engine, letter_language=language)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    assert {letter.language for letter in letters_of(session, case)} == {language}
    assert "Your application has been received" in letters_of(session, case, "application_received")[0].html


def test_letters_are_in_khmer_unless_the_applicant_asks_otherwise(session, process_engine):
    case = open_case(session, process_engine)
    (received,) = letters_of(session, case)
    assert received.language == "km" and case.person.letter_language == "km"


def test_closing_an_approved_case_queues_the_result_and_card_after_the_close(session, process_engine):
    case = open_case(session, process_engine)
    drain_jobs(session)  # the received letter
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    (result,) = letters_of(session, case, "application_result")
    fields = json.loads(result.fields_json)
    assert fields["outcome"] == "approved" and fields["benefit_start"] == "2026-12-01"
    assert fields["amount_khr"] == 40000
    assert "៤០.០០០៛" in result.html and "ថ្ងៃទី០១ ខែធ្នូ ឆ្នាំ២០២៦" in result.html
    kinds = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    after_close = kinds[kinds.index("case_closed") + 1 :]
    assert after_close == ["letter_issued", "letter_issued"]  # the result and the card, after the close
    (card,) = letters_of(session, case, "membership_card")
    assert json.loads(card.fields_json)["programme"] == "Family Package: elderly people"


def test_a_rejection_prints_the_justification(session, process_engine):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **REJECT)
    work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    (result,) = letters_of(session, case, "application_result")
    assert json.loads(result.fields_json)["outcome"] == "rejected"
    assert REJECT["justification"] in result.html
    assert letters_of(session, case, "membership_card") == []  # no card without an approval


def test_a_reprint_gives_the_same_bytes_and_an_issued_letter_cannot_change(session, process_engine):
    case = open_case(session, process_engine)
    (letter,) = letters_of(session, case)
    first = letter_pdf(session, letter=letter)
    session.expire_all()
    assert letter_pdf(session, letter=letter) == first
    assert session.get(LetterBlob, letter.sha256).content == first
    letter.key = "application_result"
    with pytest.raises(LetterImmutable):
        session.flush()


def test_a_correction_is_a_new_letter_that_names_the_old_one(session, process_engine):
    case = open_case(session, process_engine)
    (old,) = letters_of(session, case)
    officer = user(session, "ca.charchhuk")
    new = correct_letter(session, letter=old, actor=officer, today=TODAY, reason="")
    assert new.corrects_id == old.id and new.reference != old.reference
    assert digits(old.reference) in new.html  # "this letter corrects and replaces letter ..."
    assert letter_pdf(session, letter=old) != letter_pdf(session, letter=new)
    checked = verify(session, token=old.verify_token, client="test", now=utcnow())
    assert checked.corrected_by == new.reference


def test_marking_delivered_records_when_and_how(session, process_engine):
    case = open_case(session, process_engine)
    (letter,) = letters_of(session, case)
    officer = user(session, "ca.charchhuk")
    mark_delivered(session, letter=letter, on=TODAY, how="in_person", actor=officer, today=TODAY)
    assert (letter.delivered_at, letter.delivered_how, letter.delivered_by_id) == (
        TODAY,
        "in_person",
        officer.id,
    )
    with pytest.raises(InvalidInput):
        mark_delivered(
            session, letter=letter, on=TODAY + timedelta(days=1), how="post", actor=officer, today=TODAY
        )
    with pytest.raises(InvalidInput):
        mark_delivered(session, letter=letter, on=TODAY, how="pigeon", actor=officer, today=TODAY)


def test_verification_shows_initials_never_the_name(session, process_engine):
    case = open_case(session, process_engine, name_latin="Sok Sreymom")
    (letter,) = letters_of(session, case)
    checked = verify(session, token=letter.verify_token, client="test", now=utcnow())
    assert checked.recipient_initials == "S. S."
    assert checked.sha256 == letter.sha256 and checked.type_label == "Application received"
    assert [area.code for area in checked.office] == ["17", "1701", "170101"]
    assert "Sreymom" not in repr(checked)
    with pytest.raises(NotFound):
        verify(session, token=letter.reference, client="test", now=utcnow())


def test_a_template_that_fails_leaves_nothing_half_issued(session, process_engine, monkeypatch):
    case = open_case(session, process_engine)
    letters_before = session.scalar(select(func.count()).select_from(Letter))
    counter = session.scalar(select(ReferenceCounter.last).where(ReferenceCounter.scope == "LTR-1701-2026"))
    with pytest.raises(Exception, match="'dict object' has no attribute"):
        issue_letter(
            session,
            case=case,
            key="grievance_decision",
            actor=None,
            today=TODAY,
            fields={},  # the template needs `upheld` and `reason`
        )
    assert session.scalar(select(func.count()).select_from(Letter)) == letters_before
    assert (
        session.scalar(select(ReferenceCounter.last).where(ReferenceCounter.scope == "LTR-1701-2026"))
        == counter
    )


def test_the_worker_renders_a_commune_batch_in_village_order(session, process_engine):
    first = open_case(session, process_engine, village_code="17010102")
    second = open_case(session, process_engine, village_code="17010101")
    drain_jobs(session)  # their received letters
    officer = user(session, "ca.charchhuk")
    job = letter_batches.enqueue_batch(
        session,
        actor=officer,
        commune_code="170101",
        start=TODAY - timedelta(days=3),
        end=TODAY + timedelta(days=3),
    )
    ordered = letter_batches.batch_letters(session, commune_code="170101", start=TODAY, end=TODAY)
    villages = [letter.case.area_code for letter in ordered]
    assert villages == sorted(villages)
    assert {first.id, second.id} <= {letter.case_id for letter in ordered}
    context = WorkerContext(worker_id="test")
    taken = take_job(session, worker_id="test", now=job.run_after)
    assert taken is not None and taken.id == job.id
    run_job(session, taken, {letter_batches.JOB_KIND: letter_batches.render_batch}, context)
    assert job.status == DONE
    result = json.loads(job.result_json)
    assert result["letters"] == len(ordered) >= 2
    pdf = letter_batches.batch_pdf(session, token=letter_batches.batch_token(session, job=job), user=officer)
    assert pdf.startswith(b"%PDF")
    assert "letter_renderer" in context.resources  # kept warm for the next job


def test_a_batch_is_only_for_a_commune_of_ones_area(session, process_engine):
    officer = user(session, "ca.charchhuk")
    with pytest.raises(InvalidInput):
        letter_batches.enqueue_batch(session, actor=officer, commune_code="171201", start=TODAY, end=TODAY)
    with pytest.raises(InvalidInput):
        letter_batches.enqueue_batch(
            session, actor=officer, commune_code="170101", start=TODAY, end=TODAY + timedelta(days=200)
        )
    other = user(session, "ca.chrouy")
    job = letter_batches.enqueue_batch(session, actor=officer, commune_code="170101", start=TODAY, end=TODAY)
    with pytest.raises(NotFound):
        letter_batches.batch_pdf(session, token=letter_batches.batch_token(session, job=job), user=other)
    assert session.get(Job, job.id) is not None
    assert HANDLERS[letter_batches.JOB_KIND] is letter_batches.render_batch  # the CLI worker's table


def test_a_cards_batch_puts_the_membership_cards_on_a4_sheets(session, process_engine):
    cases = [open_case(session, process_engine) for _ in range(2)]
    for case in cases:
        work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
        work(session, process_engine, case, "bo.social.ac", **APPROVE)
        work(session, process_engine, case, "iso.ac", **ANNOUNCE)
    officer = user(session, "ca.charchhuk")
    issued = max(letter.issued_on for letter in letters_of(session, cases[0], "membership_card"))
    job = letter_batches.enqueue_batch(
        session, actor=officer, commune_code="170101", start=issued, end=issued, cards=True
    )
    run_job(session, job, HANDLERS, WorkerContext(worker_id="test"))
    assert json.loads(job.result_json)["letters"] >= 2
    document = pdfium.PdfDocument(
        letter_batches.batch_pdf(session, token=letter_batches.batch_token(session, job=job), user=officer)
    )
    assert len(document) == 1 and round(document[0].get_width()) == 595  # one A4 sheet, in points
