"""An NSSF letter to an enterprise is corrected to the same enterprise, and the public check names the office
that issued it; an SSDM letter keeps its applicant and its one-stop office."""

from sqlalchemy import select

from tests.factories import drain_jobs, open_case, user
from tests.services.test_nssf_letters import TODAY, documents_request, enterprise_case
from webapp.domain.letters import Letter
from webapp.services.correspondence.letters import correct_letter
from webapp.services.correspondence.verification import verify


def test_a_letter_to_an_enterprise_is_corrected_to_the_same_enterprise(session, process_engine):
    case = enterprise_case(session, process_engine)
    old = documents_request(session, case, "en")
    officer = user(session, "nssf.reg.siemreap")
    new = correct_letter(session, letter=old, actor=officer, today=TODAY, reason="The patent, not the ID")
    assert new.corrects_id == old.id and new.key == old.key
    assert (new.recipient_km, new.recipient_latin) == ("ហាងកាត់ដេរ ពេជ្រ បុប្ផា", "Pich Bopha Tailors")
    assert "Pich Bopha Tailors" in new.html and new.recipient_initials == "P. B. T."


def test_an_nssf_letter_keeps_the_office_its_letterhead_names_for_the_public_check(session, process_engine):
    case = enterprise_case(session, process_engine)
    letter = documents_request(session, case, "km")
    checked = verify(session, token=letter.verify_token, client="198.51.100.78", now=letter.issued_at)
    assert checked.office_name == "National Social Security Fund, provincial branch"
    assert [area.code for area in checked.office] == ["17"]


def test_an_ssdm_letter_names_no_office_beyond_its_area_and_is_corrected_to_its_applicant(
    session, process_engine
):
    case = open_case(session, process_engine)
    drain_jobs(session)
    old = session.scalar(select(Letter).where(Letter.case_id == case.id))
    assert old.office_name == "" and old.recipient_latin == case.person.name_latin
    new = correct_letter(session, letter=old, actor=user(session, "ca.charchhuk"), today=TODAY)
    assert new.recipient_latin == case.person.name_latin and new.office_name == ""
