"""NSSF letters as NSSF issues them: the branch of the case's province (or the head office) in the header with
its address and hotlines, its chief (or the national officer) signing by name, and the employer's numbers and
full address on every letter to an employer; SSDM letters keep the one-stop office."""

import re
from datetime import date

from sqlalchemy import select

from tests.factories import drain_jobs, open_case, user
from tests.services.test_nssf import work
from webapp.domain.areas import Area, AreaLevel
from webapp.domain.letters import Letter
from webapp.domain.nssf import Enterprise
from webapp.letters import Recipient
from webapp.letters.khmer import digits
from webapp.services.correspondence.letters import issue_letter
from webapp.services.correspondence.verification import verify
from webapp.services.nssf.adapters.fake import fake_business_registry
from webapp.services.nssf.compliance import Finding, record_finding
from webapp.services.nssf.enterprises import EnterpriseApplication, apply_at_office

TODAY = date(2026, 11, 27)
VILLAGE = "17010101"
INVISIBLE = re.compile(r"[\s\u200b\u2060]+")
CHAR_CHHUK_FULL_KM = "ភូមិប្រាសាទ ឃុំចារឈូក ស្រុកអង្គរជុំ ខេត្តសៀមរាប"


def squeeze(text: str) -> str:
    return INVISIBLE.sub("", text)


def enterprise_case(session, process_engine, **overrides):
    fields = dict(
        name_km="ហាងកាត់ដេរ ពេជ្រ បុប្ផា",
        name_latin="Pich Bopha Tailors",
        legal_form="sole_proprietorship",
        activity="garment",
        area_code=VILLAGE,
        employee_count=6,
        contact_name="Pich Bopha",
        contact_phone="012998877",
    )
    officer = user(session, "nssf.reg.siemreap")
    application = EnterpriseApplication(**(fields | overrides))
    return apply_at_office(
        session, engine=process_engine, actor=officer, application=application, today=TODAY
    )


def unused_registration_number(session) -> str:
    """A number the business registry knows from its online registrations that no enterprise of the
    database has applied with yet (the demo registered the first one)."""
    return next(
        known.registration_number
        for known in fake_business_registry().enterprises.values()
        if known.source == "obr"
        and session.scalar(
            select(Enterprise.id).where(Enterprise.registration_number == known.registration_number)
        )
        is None
    )


def documents_request(session, case, language):
    return issue_letter(
        session,
        case=case,
        key="nssf_documents_request",
        actor=None,
        today=TODAY,
        fields={"documents": "Patent certificate", "asked_on": TODAY, "address": []},
        language=language,
        recipient=Recipient("ហាងកាត់ដេរ ពេជ្រ បុប្ផា", "Pich Bopha Tailors", ()),
    )


def test_a_letter_of_a_province_with_an_nssf_chief_comes_from_its_branch_signed_by_the_chief(
    session, process_engine
):
    case = enterprise_case(session, process_engine)
    letter = documents_request(session, case, "en")
    html = letter.html
    assert letter.office_code == "17"
    assert "National Social Security Fund, provincial branch" in html
    assert "Siem Reap Municipality, Siem Reap Province" in html  # where the branch stands
    assert "NSSF hotlines: 1286 and 1297" in html
    assert "NSSF provincial chief" in html
    assert squeeze(user(session, "nssf.chief.siemreap").full_name) in squeeze(html)
    assert "One-stop service office" not in html and "governor" not in html


def test_the_khmer_letter_names_the_branch_and_its_chief_in_khmer(session, process_engine):
    case = enterprise_case(session, process_engine)
    html = squeeze(documents_request(session, case, "km").html)
    assert squeeze("បេឡាជាតិរបបសន្ដិសុខសង្គម សាខាខេត្ត") in html
    assert squeeze("ក្រុងសៀមរាប ខេត្តសៀមរាប") in html
    assert squeeze("ប្រធាន ប.ស.ស. ខេត្ត") in html
    assert squeeze(user(session, "nssf.chief.siemreap").full_name) in html
    assert "អភិបាល" not in html and squeeze("ច្រកចេញចូលតែមួយ") not in html


def test_without_a_chief_in_the_province_the_branch_writes_and_the_national_officer_signs(
    session, process_engine
):
    case = enterprise_case(session, process_engine)
    user(session, "nssf.chief.siemreap").active = False
    session.flush()
    letter = documents_request(session, case, "en")
    assert letter.office_code == "17" and "provincial branch" in letter.html
    assert "NSSF national officer" in letter.html and "NSSF provincial chief" not in letter.html
    assert squeeze(user(session, "nssf.hq").full_name) in squeeze(letter.html)


def test_a_case_of_phnom_penh_is_national_the_head_office_issues_and_the_national_officer_signs(
    session, process_engine
):
    sangkat = session.scalar(
        select(Area.code).where(Area.level == AreaLevel.COMMUNE, Area.parent_code == "1208").limit(1)
    )
    officer = user(session, "nssf.reg.phnompenh")
    application = EnterpriseApplication(
        name_km="ហាងលក់ទំនិញ សុខ វណ្ណា",
        name_latin="Sok Vanna Trading",
        legal_form="sole_proprietorship",
        activity="retail",
        area_code=sangkat,
        employee_count=4,
        contact_name="Sok Vanna",
        contact_phone="012111222",
    )
    case = apply_at_office(
        session, engine=process_engine, actor=officer, application=application, today=TODAY
    )
    letter = documents_request(session, case, "en")
    assert letter.office_code == "12"
    assert "National Social Security Fund" in letter.html and "provincial branch" not in letter.html
    assert "Khan Sen Sok, Phnom Penh Capital" in letter.html
    assert "NSSF national officer" in letter.html
    assert squeeze(user(session, "nssf.hq").full_name) in squeeze(letter.html)
    assert squeeze(user(session, "nssf.chief.phnompenh").full_name) not in squeeze(letter.html)


def test_an_nssf_letter_verifies_and_names_its_branch(session, process_engine):
    case = enterprise_case(session, process_engine)
    letter = documents_request(session, case, "km")
    checked = verify(session, token=letter.verify_token, client="198.51.100.77", now=letter.issued_at)
    assert checked.sha256 == letter.sha256 and [area.code for area in checked.office] == ["17"]


def test_an_ssdm_letter_keeps_the_one_stop_office_and_its_governor(session, process_engine):
    case = open_case(session, process_engine)
    drain_jobs(session)
    letter = session.scalar(select(Letter).where(Letter.case_id == case.id))
    assert letter.office_code == "170101"
    assert "National Social Security Fund" not in letter.html and "NSSF" not in letter.html


def test_the_certificate_prints_the_numbers_and_the_full_address_of_the_enterprise(session, process_engine):
    known = unused_registration_number(session)
    case = enterprise_case(session, process_engine, registration_number=known)
    drain_jobs(session)  # the business registry's check, which the case waits on
    work(session, process_engine, case, "review_application", {"decision": "approve"}, "nssf.reg.siemreap")
    drain_jobs(session)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))
    letter = session.scalar(
        select(Letter).where(Letter.case_id == case.id, Letter.key == "nssf_registration_certificate")
    )
    html = squeeze(letter.html)
    assert squeeze(digits(enterprise.employer_number)) in html
    assert squeeze(digits(known)) in html
    assert squeeze(CHAR_CHHUK_FULL_KM) in html


def test_the_compliance_notice_prints_the_numbers_and_the_full_address_of_a_registered_enterprise(
    session, process_engine
):
    known = unused_registration_number(session)
    case = enterprise_case(session, process_engine, registration_number=known)
    drain_jobs(session)  # the business registry's check, which the case waits on
    work(session, process_engine, case, "review_application", {"decision": "approve"}, "nssf.reg.siemreap")
    enterprise = session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))
    finding = Finding(
        finding="late_contributions", details="", notice_days=7, employer_number=enterprise.employer_number
    )
    inspection = record_finding(
        session,
        engine=process_engine,
        actor=user(session, "nssf.insp.siemreap"),
        finding=finding,
        today=TODAY,
    )
    drain_jobs(session)
    notice = session.scalar(select(Letter).where(Letter.case_id == inspection.id))
    html = squeeze(notice.html)
    assert notice.key == "nssf_compliance_notice"
    assert squeeze(digits(enterprise.employer_number)) in html
    assert squeeze(digits(known)) in html
    assert squeeze(CHAR_CHHUK_FULL_KM) in html
