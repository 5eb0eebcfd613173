"""Letter pages: the case page lists letters to open, reprint, deliver and correct; batches for a commune;
and the public verification page. Role and area are checked on each; forms carry CSRF."""

import re
from datetime import datetime

import pytest

from tests.factories import TODAY, drain_jobs, open_case
from tests.web.helpers import post, sign_in
from webapp.domain.letters import Letter
from webapp.services.assembly.worker import HANDLERS
from webapp.services.correspondence import batches as letter_batches
from webapp.services.correspondence.letters import case_letters
from webapp.services.platform.jobs import WorkerContext, run_job, take_job


@pytest.fixture
def case(session, process_engine):
    made = open_case(session, process_engine)
    drain_jobs(session)  # the worker renders the received letter once the intake has committed
    session.commit()
    return made


@pytest.fixture
def letter(session, case) -> Letter:
    (received,) = case_letters(session, case=case)
    return received


def test_case_page_lists_its_letters_with_their_actions(client, case, letter):
    sign_in(client, "ca.charchhuk")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="letters"' in page and letter.reference in page
    assert f"/cases/{case.id}/letters/{letter.id}.pdf" in page
    assert "letter-delivered" in page and "letter-correct" in page
    assert len(re.findall(r'name="csrf_token"', page)) >= 3
    assert f"<dt>Letter</dt><dd>{letter.reference}</dd>" in page  # the timeline names the issued letter


def test_open_and_reprint_give_the_archived_pdf(client, case, letter):
    sign_in(client, "ca.charchhuk")
    opened = client.get(f"/cases/{case.id}/letters/{letter.id}.pdf")
    reprinted = client.get(f"/cases/{case.id}/letters/{letter.id}.pdf?download=1")
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert opened.data == reprinted.data
    assert reprinted.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("username", ["ca.dounpeng", "ca.chrouy", "ssdm.ss", "sup.ss"])
def test_officer_of_another_area_gets_404_for_the_letter(client, case, letter, username):
    sign_in(client, username)
    assert client.get(f"/cases/{case.id}/letters/{letter.id}.pdf").status_code == 404
    assert client.get(f"/cases/{case.id}/letters/{letter.id}/html").status_code == 404
    response = post(client, f"/cases/{case.id}/letters/{letter.id}/delivered", {"on": TODAY.isoformat()})
    assert response.status_code == 404


def test_a_letter_under_another_case_id_is_not_found(client, session, process_engine, case, letter):
    other = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ca.charchhuk")
    assert client.get(f"/cases/{other.id}/letters/{letter.id}.pdf").status_code == 404


def test_marking_delivered_and_correcting_from_the_case_page(client, session, case, letter):
    sign_in(client, "ca.charchhuk")
    response = post(
        client,
        f"/cases/{case.id}/letters/{letter.id}/delivered",
        {"on": TODAY.isoformat(), "how": "in_person"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Letter, letter.id).delivered_how == "in_person"
    response = post(
        client, f"/cases/{case.id}/letters/{letter.id}/correct", {"reason": "", "language": "both"}
    )
    assert response.status_code == 302
    (_, correction) = case_letters(session, case=case)
    assert (correction.corrects_id, correction.language) == (letter.id, "both")
    assert correction.html.count('<article class="letter"') == 2


def test_a_vdc_member_may_read_but_not_deliver(client, case, letter):
    sign_in(client, "vdc.charchhuk")
    response = post(client, f"/cases/{case.id}/letters/{letter.id}/delivered", {"on": TODAY.isoformat()})
    assert response.status_code == 403


def test_forms_without_the_csrf_token_are_refused(client, case, letter):
    sign_in(client, "ca.charchhuk")
    response = client.post(f"/cases/{case.id}/letters/{letter.id}/correct", data={"reason": ""})
    assert response.status_code == 400


def test_verify_page_is_public_and_shows_no_name(client, letter):
    page = client.get(f"/verify/{letter.verify_token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert letter.reference in text and letter.sha256 in text and "S. S." in text
    assert "Sreymom" not in text and "ស្រីមុំ" not in text
    assert client.get("/verify/LTR-0000-2026-00001").status_code == 404


def test_commune_assistant_queues_a_batch_and_downloads_it_when_ready(client, session, case, letter):
    sign_in(client, "ca.charchhuk")
    page = client.get("/letters/batch").get_data(as_text=True)
    assert 'value="170101"' in page and 'value="171201"' not in page
    response = post(client, "/letters/batch", {"commune": "170101", "start": TODAY.isoformat()})
    assert response.status_code == 302
    page = client.get("/letters/batch").get_data(as_text=True)
    job_id = int(re.search(r'<tr data-status="queued">\s*<td>(\d+)</td>', page).group(1))
    job = take_job(session, worker_id="test", now=datetime.max)
    assert job is not None and job.id == job_id
    token = letter_batches.batch_token(session, job=job)
    assert client.get(f"/letters/batch/{token}.pdf").status_code == 404  # not rendered yet
    run_job(session, job, HANDLERS, WorkerContext(worker_id="test"))
    session.commit()
    page = client.get("/letters/batch").get_data(as_text=True)
    assert f'href="/letters/batch/{token}.pdf"' in page and f"/letters/batch/{job_id}.pdf" not in page
    download = client.get(f"/letters/batch/{token}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    sign_in(client, "ca.chrouy")  # another commune's assistant
    assert client.get(f"/letters/batch/{token}.pdf").status_code == 404


def test_batch_page_is_for_officers_who_hand_letters_out(client):
    sign_in(client, "bo.social.ac")
    assert client.get("/letters/batch").status_code == 404
    sign_in(client, "ca.charchhuk")
    assert client.get("/letters/batch").status_code == 200
    response = post(client, "/letters/batch", {"commune": "171201", "start": TODAY.isoformat()})
    assert response.status_code == 422
    assert "Choose a commune of your area." in response.get_data(as_text=True)
