"""The NSSF registries a page at a time: enterprises and members filtered by number, area, source, status,
employer, scheme and kind, cut to the reader's area; numbers in Khmer digits on Khmer pages."""

from tests.factories import user
from tests.services.test_nssf import registered_enterprise
from tests.web.helpers import sign_in
from tests.web.test_registry_pages import register
from webapp.domain.nssf import Enterprise, Member
from webapp.letters.khmer import digits


def _member(session, enterprise, *, kind, schemes, id_number):
    person = register(session, id_number=id_number)
    member = Member(
        person_id=person.id,
        enterprise_id=enterprise.id if enterprise else None,
        kind=kind,
        schemes=schemes,
        area_code="17010101",
    )
    session.add(member)
    session.flush()
    return member


def test_an_enterprise_is_found_by_its_employer_number_and_shown_in_khmer_digits(
    client, session, process_engine
):
    enterprise = registered_enterprise(session, process_engine)
    sign_in(client, "nssf.reg.siemreap", locale="km")
    page = client.get(f"/nssf/?q={enterprise.employer_number}").get_data(as_text=True)
    assert f"<td>{digits(enterprise.employer_number)}</td>" in page
    case_page = client.get(f"/nssf/cases/{enterprise.case_id}").get_data(as_text=True)
    assert digits(enterprise.employer_number) in case_page and enterprise.employer_number not in case_page


def test_enterprises_filter_by_source_and_status_and_refuse_an_unknown_value(client, session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    sign_in(client, "nssf.reg.siemreap")
    shown = client.get(f"/nssf/?q={enterprise.employer_number}&status=registered").get_data(as_text=True)
    assert enterprise.name_latin in shown
    hidden = client.get(f"/nssf/?q={enterprise.employer_number}&status=rejected").get_data(as_text=True)
    assert enterprise.name_latin not in hidden
    refused = client.get("/nssf/?source=elsewhere").get_data(as_text=True)
    assert "were not understood" in refused


def test_members_filter_by_employer_scheme_and_kind(client, session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    employee = _member(session, enterprise, kind="employee", schemes="pension", id_number="170888001")
    worker = _member(session, None, kind="self_employed", schemes="voluntary_health", id_number="170888002")
    sign_in(client, "nssf.reg.siemreap")
    by_employer = client.get(f"/nssf/members?enterprise={enterprise.employer_number}").get_data(as_text=True)
    assert "<td>170888001</td>" in by_employer and "<td>170888002</td>" not in by_employer
    by_kind = client.get("/nssf/members?kind=self_employed&q=170888002").get_data(as_text=True)
    assert "<td>170888002</td>" in by_kind
    by_scheme = client.get("/nssf/members?scheme=pension&q=170888002").get_data(as_text=True)
    assert "<td>170888002</td>" not in by_scheme
    assert employee.id != worker.id


def test_a_province_reader_sees_no_enterprise_of_another_province(client, session):
    session.add(
        Enterprise(
            name_km="ហាងភ្នំពេញ",
            name_latin="Far Away Trading",
            legal_form="sole_proprietorship",
            activity="retail",
            area_code="120101",
            registration_source="none",
        )
    )
    session.flush()
    assert user(session, "nssf.reg.siemreap").scope_code == "17"
    sign_in(client, "nssf.reg.siemreap")
    assert "Far Away Trading" not in client.get("/nssf/?q=Far+Away").get_data(as_text=True)


def test_the_case_timeline_prints_the_employer_number_in_khmer_digits(client, session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    sign_in(client, "nssf.reg.siemreap", locale="km")
    page = client.get(f"/cases/{enterprise.case_id}").get_data(as_text=True)
    assert digits(enterprise.employer_number) in page and enterprise.employer_number not in page
    sign_in(client, "nssf.reg.siemreap", locale="en")
    assert enterprise.employer_number in client.get(f"/cases/{enterprise.case_id}").get_data(as_text=True)
