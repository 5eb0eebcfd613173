"""NSSF in Khmer, in a real Chromium: an enterprise applies online and ends with printed member cards; an
inspection ends with a fine approved by a second officer."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.e2e.test_application_journey import sign_in, sign_out
from webapp.db import make_engine
from webapp.domain.cases import Case
from webapp.domain.sla import WorkflowTimer
from webapp.services.deadlines.calendars import create_process_engine
from webapp.services.deadlines.sweeps import fire_case_timers
from webapp.services.nssf.adapters.fake import fake_business_registry, fake_national_id


def claim(page: Page, base: str, reference: str) -> None:
    """Claims the case's task; a case that waits on a check the worker runs (the business registry, the ID
    numbers, the registration at a notice's deadline) shows it moments after the request commits."""
    row = page.locator("#available-tasks tr", has_text=reference)
    for _ in range(100):
        page.goto(f"{base}/")
        if row.count():
            break
        page.wait_for_timeout(200)
    row.locator("form[action$='/claim'] button").click()
    expect(page.locator("form.spec-form")).to_be_visible()


def submit(page: Page) -> None:
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()


def wait_for(page: Page, selector: str) -> None:
    """The worker renders letters and sheets moments after the request commits."""
    for _ in range(100):
        if page.locator(selector).count():
            return
        page.wait_for_timeout(200)
        page.reload()
    expect(page.locator(selector)).to_have_count(1)


def test_an_online_application_ends_with_printed_member_cards(page: Page, live_server: str) -> None:
    known = [e for e in fake_business_registry().enterprises.values() if e.source == "obr"][
        7
    ]  # not the demo's
    page.goto(f"{live_server}/nssf/apply")
    expect(page.locator("h1")).to_have_text("ចុះបញ្ជីសហគ្រាសនៅ ប.ស.ស.")
    page.fill("#name_km", "ហាងកាត់ដេរ ពៅ សុខា")
    page.fill("#name_latin", "Pov Sokha Garment Shop")
    page.fill("#registration_number", known.registration_number)
    page.select_option("#legal_form", "sole_proprietorship")
    page.select_option("#activity", "garment")
    page.fill("#area", "171201")
    page.fill("#employee_count", "18")
    page.fill("#annual_revenue_usd", "90000")
    page.fill("#contact_name", "ពៅ សុខា")
    page.fill("#contact_phone", "012555666")
    page.click("#enterprise-form button[type=submit]")
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"NSE-1712-\d{4}-\d{5}", reference)

    sign_in(page, live_server, "nssf.reg.siemreap")
    claim(page, live_server, reference)
    page.select_option("#decision", "approve")
    submit(page)
    page.goto(f"{live_server}/nssf/?q=Pov+Sokha")
    page.locator("#enterprises a", has_text="Pov Sokha").click()
    employer_number = page.locator("#employer-number").inner_text()
    assert employer_number.startswith("EMP-១៧-")  # in Khmer digits, typed back as shown

    people = fake_national_id().sample(3)
    rows = "".join(
        f"{p.id_number},{p.name_km},{p.name_latin},{p.sex},{p.date_of_birth},17120101,2026-01-05,\n"
        for p in people
    )
    text = "national_id,name_km,name_latin,sex,date_of_birth,village_code,start_date,schemes\n" + rows
    page.goto(f"{live_server}/nssf/members/new")
    page.fill("#employer_number", employer_number)
    page.set_input_files(
        "#upload", files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.click("#members-form button[type=submit]")
    expect(page.locator("#summary")).to_contain_text("៣")  # three good rows, in Khmer digits
    page.click("#members-form button[name=confirm]")
    declaration = page.locator("h1").inner_text()
    claim(page, live_server, declaration)
    page.select_option("#decision", "approve")
    submit(page)

    page.goto(f"{live_server}/nssf/members")
    page.locator("#members a", has_text=people[0].name_latin).first.click()
    page.click("#print-cards")
    sheet = live_server + (page.locator("#sheet-link").get_attribute("href") or "")
    for _ in range(100):  # the worker lays the cards out moments after the request commits
        response = page.request.get(sheet)
        if response.status == 200:
            break
        page.wait_for_timeout(300)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    sign_out(page)


def _fire_notice_deadline(database: Path, reference: str) -> None:
    """Seven NSSF working days pass: the case's timer fires as the worker would fire it then."""
    db = make_engine(f"sqlite:///{database}")
    with Session(db) as session, session.begin():
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        timer = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id)).one()
        fire_case_timers(
            session, engine=create_process_engine(), case=case, now=timer.due_at + timedelta(minutes=1)
        )
    db.dispose()


def test_an_inspection_ends_with_a_fine_approved_by_a_second_officer(
    page: Page, live_server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    sign_in(page, live_server, "nssf.insp.siemreap")
    page.goto(f"{live_server}/nssf/inspections/new")
    page.select_option("#finding", "unregistered")
    page.fill("#name_km", "ភោជនីយដ្ឋាន មាស វិចិត្រ")
    page.fill("#name_latin", "Meas Vichet Restaurant")
    page.fill("#area", "170101")
    page.fill("#workers_found", "9")
    page.select_option("#notice_days", "7")
    page.fill("#details", "កម្មករ ៩ នាក់ គ្មានប័ណ្ណ ប.ស.ស.")
    page.click("#inspection-form button[type=submit]")
    reference = page.locator("h1").inner_text()
    assert reference.startswith("NSC-1701-")

    database = next(Path(tmp_path_factory.getbasetemp()).glob("e2e*/e2e.sqlite3"))
    _fire_notice_deadline(database, reference)
    claim(page, live_server, reference)
    page.select_option("#compliance", "fine")
    page.fill("#fine_khr", "4000000")
    submit(page)
    sign_out(page)

    sign_in(page, live_server, "nssf.chief.siemreap")
    claim(page, live_server, reference)
    page.select_option("#approval", "approve")
    submit(page)
    page.goto(f"{live_server}/nssf/?q=Meas+Vichet")
    page.locator("#enterprises tr", has_text="Meas Vichet")
    page.goto(f"{live_server}/cases/")
    page.locator("a", has_text=reference).first.click()
    wait_for(page, "#letters tr[data-letter='nssf_fine_decision']")
    sign_out(page)
