"""The member list's review page: a row that looks like a registered person offers that person to link (in
the reader's digits) or a new person, and the import follows the officer's choice."""

import io

from sqlalchemy import select

from tests.services.test_nssf_look_alikes import LOOK_ALIKE, NEWCOMER
from tests.web.helpers import post, sign_in
from tests.web.test_registry_pages import register
from webapp.domain.nssf import Enterprise, EnterpriseStatus, Member

TEXT = (
    "national_id,name_km,name_latin,sex,date_of_birth,village_code,start_date,schemes\n"
    + LOOK_ALIKE
    + NEWCOMER
)


def _enterprise(session):
    enterprise = Enterprise(
        name_km="ក្រុមហ៊ុន",
        name_latin="Look Alike Co",
        legal_form="private_limited",
        activity="garment",
        area_code="170101",
        registration_source="obr",
        employer_number="EMP-17-LOOK-1",
        status=EnterpriseStatus.REGISTERED,
    )
    session.add(enterprise)
    session.flush()
    return enterprise


def test_the_officer_links_a_look_alike_row_to_the_registered_person(client, session):
    enterprise, known = _enterprise(session), register(session, id_number="170444201")
    sign_in(client, "nssf.reg.siemreap", locale="km")
    checked = post(
        client,
        "/nssf/members/new",
        {"employer_number": "EMP-17-LOOK-1", "upload": (io.BytesIO(TEXT.encode()), "staff.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert 'id="look-alike-2"' in checked and 'name="look_alike-2" value="link"' in checked
    assert "១៧០៤៤៤២០១" in checked  # the registered person's ID, in Khmer digits
    confirmed = post(
        client,
        "/nssf/members/new",
        {"employer_number": "EMP-17-LOOK-1", "content": TEXT, "confirm": "1", "look_alike-2": "link"},
    )
    assert confirmed.status_code == 302
    people = session.scalars(select(Member.person_id).where(Member.enterprise_id == enterprise.id)).all()
    assert known.id in people and len(people) == 2


def test_an_undecided_look_alike_row_is_left_out_of_the_import(client, session):
    enterprise, known = _enterprise(session), register(session, id_number="170444202")
    sign_in(client, "nssf.reg.siemreap")
    post(client, "/nssf/members/new", {"employer_number": "EMP-17-LOOK-1", "content": TEXT, "confirm": "1"})
    people = session.scalars(select(Member.person_id).where(Member.enterprise_id == enterprise.id)).all()
    assert len(people) == 1 and known.id not in people
