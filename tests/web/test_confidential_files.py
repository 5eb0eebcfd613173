"""A confidential grievance's documents and letters, alone or in a commune batch, reach only its handlers;
batches are asked for by the roles that hand letters out and downloaded by the officer who asked."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import FIXTURES, TODAY, drain_jobs, open_case, user, work
from tests.services.test_grievances import MAX, intake
from tests.web.helpers import sign_in
from webapp.domain.cases import Case, Document
from webapp.domain.errors import NotFound, PermissionDenied
from webapp.domain.letters import Letter
from webapp.domain.people import User
from webapp.services.assembly.worker import HANDLERS
from webapp.services.casework.documents import Upload
from webapp.services.correspondence import batches
from webapp.services.grievances.intake import record_grievance
from webapp.services.platform.jobs import WorkerContext, run_job

# Who handles a confidential grievance of Char Chhuk once the commune sent it up to the Angkor Chum CWCC.
HANDLERS_OF_IT = {"vdc.charchhuk", "ca.charchhuk", "cwcc.ac", "tcc.ac"}


@pytest.fixture
def confidential(session, process_engine) -> Case:
    attachment = Upload(
        field="attachment",
        kind="other",
        filename="proof.pdf",
        content=(FIXTURES / "family_book.pdf").read_bytes(),
    )
    grievance = record_grievance(
        session,
        engine=process_engine,
        actor=user(session, "vdc.charchhuk"),
        intake=intake(confidential=True, attachments=[attachment]),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="send_up",
        decision="",
        decision_reason="Up",
    )
    drain_jobs(session)
    session.commit()
    return case


def test_a_confidential_grievance_s_document_downloads_only_for_its_handlers(client, session, confidential):
    document = session.scalars(select(Document).where(Document.case_id == confidential.id)).one()
    url = f"/cases/{confidential.id}/documents/{document.id}"
    for officer in session.scalars(select(User).order_by(User.username)).all():
        sign_in(client, officer.username)
        status = client.get(url).status_code
        assert status == (200 if officer.username in HANDLERS_OF_IT else 404), officer.username


def test_an_application_s_documents_still_download_for_the_area(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ssdm.ac")
    assert client.get(f"/cases/{case.id}/documents/{case.documents[0].id}").status_code == 200


def _run(session, job):
    run_job(session, job, HANDLERS, WorkerContext(worker_id="test"))
    return json.loads(job.result_json)["letters"]


def test_a_batch_leaves_out_the_letters_its_requester_may_not_read(session, process_engine, confidential):
    open_case(session, process_engine)  # an application of the same commune, with its received notice
    drain_jobs(session)
    week = (TODAY - timedelta(days=3), TODAY + timedelta(days=3))
    everything = batches.batch_letters(session, commune_code="170101", start=week[0], end=week[1])
    secret = [letter for letter in everything if letter.case_id == confidential.id]
    assert secret and len(everything) > len(secret)
    counts = {}
    for username in ("ca.charchhuk", "iso.ac", "sup.ac", "admin"):
        job = batches.enqueue_batch(
            session, actor=user(session, username), commune_code="170101", start=week[0], end=week[1]
        )
        counts[username] = _run(session, job)
    assert counts["ca.charchhuk"] == len(everything)
    assert counts["iso.ac"] == counts["sup.ac"] == counts["admin"] == len(everything) - len(secret)


def test_only_letter_handling_roles_ask_for_a_batch_and_only_the_requester_downloads_it(
    session, process_engine, confidential
):
    open_case(session, process_engine)
    drain_jobs(session)
    for username in ("bo.social.ac", "vdc.charchhuk", "cwcc.ac", "ssr"):
        with pytest.raises(PermissionDenied):
            batches.enqueue_batch(
                session, actor=user(session, username), commune_code="170101", start=TODAY, end=TODAY
            )
    job = batches.enqueue_batch(
        session,
        actor=user(session, "iso.ac"),
        commune_code="170101",
        start=TODAY - timedelta(days=3),
        end=TODAY,
    )
    assert _run(session, job) >= 1
    token = batches.batch_token(session, job=job)
    assert len(token) == 22 and str(job.id) != token
    assert batches.batch_pdf(session, token=token, user=user(session, "iso.ac")).startswith(b"%PDF")
    for username in ("sup.ac", "ca.charchhuk", "admin"):
        with pytest.raises(NotFound):
            batches.batch_pdf(session, token=token, user=user(session, username))
    with pytest.raises(NotFound):
        batches.batch_pdf(session, token=str(job.id), user=user(session, "iso.ac"))


def test_the_letter_of_a_confidential_grievance_opens_only_for_its_handlers(client, session, confidential):
    letter = session.scalars(select(Letter).where(Letter.case_id == confidential.id)).first()
    assert letter is not None
    for username in ("ca.charchhuk", "cwcc.ac", "iso.ac", "sup.ac"):
        sign_in(client, username)
        status = client.get(f"/cases/{confidential.id}/letters/{letter.id}/html").status_code
        assert status == (200 if username in HANDLERS_OF_IT else 404), username
