"""NSSF letters from the browser: an administrator corrects a letter to an enterprise, and the public letter
check names the issuing NSSF office, in English and in Khmer."""

from sqlalchemy import select

from tests.factories import user
from tests.services.test_nssf_letters import documents_request, enterprise_case
from tests.web.helpers import post, sign_in
from webapp.domain.letters import Letter


def test_an_administrator_corrects_a_letter_to_an_enterprise_from_the_case_page(
    client, session, process_engine
):
    case = enterprise_case(session, process_engine)
    old = documents_request(session, case, "en")
    session.commit()
    sign_in(client, "admin")
    response = post(
        client, f"/cases/{case.id}/letters/{old.id}/correct", {"reason": "The patent certificate"}
    )
    assert response.status_code == 302
    new = session.scalar(select(Letter).where(Letter.corrects_id == old.id))
    assert (
        new is not None
        and new.recipient_latin == "Pich Bopha Tailors"
        and new.issued_by_id == user(session, "admin").id
    )


def test_the_letter_check_names_the_nssf_branch_in_english_and_in_khmer(client, session, process_engine):
    case = enterprise_case(session, process_engine)
    letter = documents_request(session, case, "km")
    session.commit()
    client.set_cookie("sala_lang", "en")
    english = client.get(f"/verify/{letter.verify_token}").get_data(as_text=True)
    assert "National Social Security Fund, provincial branch · Siem Reap" in english
    client.set_cookie("sala_lang", "km")
    khmer = client.get(f"/verify/{letter.verify_token}").get_data(as_text=True)
    assert "បេឡាជាតិរបបសន្ដិសុខសង្គម សាខាខេត្ត · សៀមរាប" in khmer
