"""/verify answers only to the letter's random token; a reference alone shows nothing; guessing is limited."""

import pytest

from tests.factories import drain_jobs, open_case
from webapp.services.correspondence.letters import case_letters
from webapp.services.platform.throttle import LOOKUP_LIMIT


@pytest.fixture
def letter(session, process_engine):
    case = open_case(session, process_engine)
    drain_jobs(session)
    session.commit()
    (received,) = case_letters(session, case=case)
    return received


def test_the_qr_code_carries_an_unguessable_token(letter):
    assert len(letter.verify_token) == 22 and letter.reference not in letter.verify_token
    assert f"/verify/{letter.verify_token}" in letter.html
    assert f"/verify/{letter.reference}" not in letter.html


def test_the_reference_alone_reveals_nothing(client, letter):
    response = client.get(f"/verify/{letter.reference}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert letter.sha256 not in page and "S. S." not in page and 'name="code"' in page


def test_the_printed_code_typed_in_the_form_shows_the_letter(client, letter):
    response = client.get(f"/verify?code={letter.verify_token}")
    assert response.status_code == 200 and letter.sha256 in response.get_data(as_text=True)


def test_guessing_is_limited_per_address_even_for_the_right_token(client, letter):
    guesses = [
        client.get(f"/verify/LTR-1701-2026-{n:05d}", environ_base={"REMOTE_ADDR": "10.4.0.1"}).status_code
        for n in range(LOOKUP_LIMIT)
    ]
    assert set(guesses) == {404}
    blocked = client.get(f"/verify/{letter.verify_token}", environ_base={"REMOTE_ADDR": "10.4.0.1"})
    assert blocked.status_code == 429 and letter.sha256 not in blocked.get_data(as_text=True)
    other = client.get(f"/verify/{letter.verify_token}", environ_base={"REMOTE_ADDR": "10.4.0.2"})
    assert other.status_code == 200
