"""Paper the officer hands over or files: a grievance's acknowledgement slip (its status code only the first
time, right after recording) and a case's printable summary."""

import re

from tests.factories import drain_jobs, open_case
from tests.web.helpers import sign_in
from tests.web.test_grievance_pages import record


def test_the_slip_shows_the_status_code_once_right_after_recording(client, session):
    grievance = record(client, session)
    flashed = client.get(f"/grievances/{grievance.id}").get_data(as_text=True)
    code = re.search(r"acknowledgement: ([A-Z]{8})", flashed).group(1)
    assert f"/grievances/{grievance.id}/slip" in flashed

    first = client.get(f"/grievances/{grievance.id}/slip").get_data(as_text=True)
    assert grievance.reference in first and f'<code id="slip-code">{code}</code>' in first
    assert "/grievance/status" in first and "What happens next" in first

    again = client.get(f"/grievances/{grievance.id}/slip").get_data(as_text=True)
    assert grievance.reference in again and code not in again and 'id="slip-no-code"' in again


def test_the_slip_of_another_area_s_grievance_is_not_found(client, session):
    grievance = record(client, session)
    sign_in(client, "ca.chrouy")
    assert client.get(f"/grievances/{grievance.id}/slip").status_code == 404


def test_the_case_summary_prints_applicant_programme_steps_and_letters(client, session, process_engine):
    case = open_case(session, process_engine)
    drain_jobs(session)
    session.commit()
    sign_in(client, "ca.charchhuk")
    assert f"/cases/{case.id}/print" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    page = client.get(f"/cases/{case.id}/print").get_data(as_text=True)
    assert case.reference in page and case.person.name_latin in page
    assert 'id="print-steps"' in page and "Case opened" in page
    assert 'id="print-household"' in page and "People in the household" in page
    assert re.search(r'id="print-letters".*?<code>[^<]+</code>', page, re.S)
    sign_in(client, "ca.chrouy")
    assert client.get(f"/cases/{case.id}/print").status_code == 404


def test_an_application_s_slip_gives_its_number_date_and_what_happens_next(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ca.charchhuk")
    assert f"/cases/{case.id}/slip" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    page = client.get(f"/cases/{case.id}/slip").get_data(as_text=True)
    assert f'<code id="slip-reference">{case.reference}</code>' in page
    assert "What happens next" in page and case.person.name_latin in page
    sign_in(client, "ca.chrouy")
    assert client.get(f"/cases/{case.id}/slip").status_code == 404
