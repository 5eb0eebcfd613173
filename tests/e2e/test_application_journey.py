"""One application carried through the whole process in Khmer, by four officers in a real Chromium."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import in_menu
from webapp.services.assembly.seed import DEMO_PASSWORD

FIXTURES = Path(__file__).parent.parent / "fixtures"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#my-tasks")).to_be_visible()


def sign_out(page: Page) -> None:
    in_menu(page, "form[action$='/sign-out'] button")
    expect(page.locator("#username")).to_be_visible()


def claim_and_open(page: Page, reference: str) -> None:
    row = page.locator("#available-tasks tr", has_text=reference)
    row.locator("form[action$='/claim'] button").click()
    expect(page.locator("form.spec-form")).to_be_visible()


def complete(page: Page) -> None:
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()


def test_application_from_commune_intake_to_announced_result_in_khmer(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "ca.charchhuk")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    in_menu(page, "nav a[href='/cases/new']")
    page.fill("#name_km", "សុខ ស្រីមុំ")
    page.fill("#name_latin", "Sok Sreymom")
    page.select_option("#sex", "female")
    page.fill("#date_of_birth", "1951-04-13")
    page.select_option("#id_kind", "national_id")
    page.fill("#id_number", "170101999")
    page.select_option("#village", "17010101")
    page.select_option("#equity_card", "poor_1")
    page.fill("#household_size", "3")
    page.select_option("#programme", "fp_elderly")
    page.set_input_files("#family_book", str(FIXTURES / "family_book.pdf"))
    page.set_input_files("#id_card", str(FIXTURES / "id_card.png"))
    page.click("form.spec-form button[type=submit]")
    # The demo registry holds her already under another ID number: the officer picks her record.
    expect(page.locator("#possible-duplicates")).to_contain_text("Sok Sreymom")
    page.locator("#possible-duplicates input[type=radio]").first.check()
    page.set_input_files("#family_book", str(FIXTURES / "family_book.pdf"))
    page.set_input_files("#id_card", str(FIXTURES / "id_card.png"))
    page.click("form.spec-form button[type=submit]")
    reference = page.locator(".reference").inner_text().strip()
    assert reference.startswith("APP-1701-")
    expect(page.locator("#timeline")).to_contain_text("ករណីត្រូវបានបើក")
    sign_out(page)

    sign_in(page, live_server, "ssdm.ac")
    claim_and_open(page, reference)
    page.select_option("#documents_complete", "yes")
    complete(page)
    sign_out(page)

    sign_in(page, live_server, "bo.social.ac")
    claim_and_open(page, reference)
    page.select_option("#decision", "approve")
    page.fill("#justification", "អ្នកដាក់ពាក្យមានអាយុលើស ៦០ ឆ្នាំ និងមានប័ណ្ណសមធម៌។")
    page.fill("#benefit_start", "2026-12-01")
    complete(page)
    sign_out(page)

    sign_in(page, live_server, "iso.ac")
    claim_and_open(page, reference)
    page.fill("#announced_on", "2026-11-20")
    page.fill("#announcement_place", "សាលាឃុំចារឈូក")
    complete(page)

    page.goto(f"{live_server}/cases/")
    page.locator("a", has_text=reference).click()
    expect(page.locator("#case-data")).to_contain_text("បានអនុម័ត")
    timeline = page.locator("#timeline li")
    expect(page.locator("#timeline li[data-kind='case_closed']")).to_have_count(1)
    assert timeline.count() >= 12
