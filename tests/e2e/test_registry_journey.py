"""A household's SSDM registration in Khmer, in a real Chromium: a VDC member refers it, the commune assistant
registers it, the district confirms it and the membership card is issued; another commune's officer typing a
look-alike spelling is warned of the duplicate; the family folder shows the household's application and
grievance."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import in_menu
from webapp.services.assembly.seed import DEMO_PASSWORD

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEAD_KM, HEAD_LATIN, HEAD_ID, BORN = "សុខ ចាន់", "Sok Chan", "170101777", "1980-05-01"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#my-tasks")).to_be_visible()


def sign_out(page: Page) -> None:
    in_menu(page, "form[action$='/sign-out'] button")
    expect(page.locator("#username")).to_be_visible()


def fill_member(
    page: Page, row: int, name_km: str, name_latin: str, sex: str, born: str, id_number: str
) -> None:
    page.fill(f"#members-{row}-name_km", name_km)
    page.fill(f"#members-{row}-name_latin", name_latin)
    page.select_option(f"#members-{row}-sex", sex)
    page.fill(f"#members-{row}-date_of_birth", born)
    page.select_option(f"#members-{row}-id_kind", "national_id")
    page.fill(f"#members-{row}-id_number", id_number)


def wait_for_letter(page: Page, key: str) -> None:
    """The worker renders letters after the request: reload the case page until the letter is listed."""
    for _ in range(40):
        if page.locator(f"#letters tr[data-letter='{key}']").count():
            return
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator(f"#letters tr[data-letter='{key}']")).to_have_count(1)


def test_a_referred_household_is_registered_confirmed_carded_and_filed(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "vdc.charchhuk")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    in_menu(page, "nav a[href='/registry/refer']")
    page.fill("#head_name_km", HEAD_KM)
    page.fill("#head_name_latin", HEAD_LATIN)
    page.select_option("#village", "17010101")
    page.fill("#referral_reason", "ឪពុកមិនអាចធ្វើការបានតាំងពីគ្រោះថ្នាក់។")
    page.click("main form button[type=submit]")
    referral = re.search(r"REG-1701-\d{4}-\d{5}", page.locator(".flash-success").inner_text()).group(0)
    sign_out(page)

    sign_in(page, live_server, "ca.charchhuk")
    in_menu(page, "nav a[href='/registry/register']")
    page.locator("#referrals tr", has_text=referral).locator("a").click()
    expect(page.locator("#members-0-name_latin")).to_have_value(HEAD_LATIN)
    page.select_option("#equity_card", "poor_1")
    page.fill("#family_book_number", "FB-1701-777")
    fill_member(page, 0, HEAD_KM, HEAD_LATIN, "male", BORN, HEAD_ID)
    fill_member(page, 1, "កែវ ស្រីនាង", "Keo Sreyneang", "female", "1984-02-03", "170101778")
    page.select_option("#members-1-relationship", "spouse")
    page.click("#register-form button[type=submit]")
    if page.locator("#duplicates_checked").count():  # the demo registry may hold a namesake
        page.check("#duplicates_checked")
        page.click("#register-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(referral)
    sign_out(page)

    sign_in(page, live_server, "ssdm.ac")
    page.locator("#available-tasks tr", has_text=referral).locator("form[action$='/claim'] button").click()
    page.select_option("#registration_decision", "confirm")
    page.fill("#registration_reason", "បានផ្ទៀងផ្ទាត់ជាមួយសៀវភៅគ្រួសារ។")
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{live_server}/cases/")
    page.locator("a", has_text=referral).click()
    wait_for_letter(page, "membership_card")
    sign_out(page)

    sign_in(page, live_server, "ca.dounpeng")
    page.goto(f"{live_server}/registry/register")
    page.select_option("#village", "17010201")
    fill_member(page, 0, "សុខ  ចាន់", "Sok Chann", "male", BORN, "170102555")
    page.click("#register-form button[type=submit]")
    expect(page.locator("#member-0 .possible-duplicates")).to_contain_text(HEAD_LATIN)
    sign_out(page)

    sign_in(page, live_server, "ca.charchhuk")
    in_menu(page, "nav a[href='/cases/new']")
    page.fill("#name_km", HEAD_KM)
    page.fill("#name_latin", HEAD_LATIN)
    page.select_option("#sex", "male")
    page.fill("#date_of_birth", BORN)
    page.select_option("#id_kind", "national_id")
    page.fill("#id_number", HEAD_ID)
    page.select_option("#village", "17010101")
    page.select_option("#equity_card", "poor_1")
    page.fill("#household_size", "2")
    page.select_option("#programme", "health_equity_fund")
    page.set_input_files("#family_book", str(FIXTURES / "family_book.pdf"))
    page.set_input_files("#id_card", str(FIXTURES / "id_card.png"))
    page.click("form.spec-form button[type=submit]")
    if page.locator("#possible-duplicates").count():
        page.locator("#possible-duplicates input[type=radio]").first.check()
        page.set_input_files("#family_book", str(FIXTURES / "family_book.pdf"))
        page.set_input_files("#id_card", str(FIXTURES / "id_card.png"))
        page.click("form.spec-form button[type=submit]")
    application = page.locator(".reference").first.inner_text().strip()
    assert application.startswith("APP-1701-")

    page.goto(f"{live_server}/grievances/new")
    page.select_option("#category", "unsuccessful_application")
    page.fill("#area", "17010101")
    page.fill("#complainant_name", HEAD_KM)
    page.fill("#related_reference", application)
    page.fill("#description", "ការស្នើសុំរបស់ខ្ញុំយឺតពេក។")
    page.click("main form button[type=submit]")
    grievance = re.search(r"GRV-1701-\d{4}-\d{5}", page.locator(".flash-success").inner_text()).group(0)

    page.goto(f"{live_server}/search?q={HEAD_ID}")
    page.locator("main a", has_text=HEAD_LATIN).first.click()
    page.click("#family-folder-link")
    folder = page.locator("#family-folder")
    expect(folder).to_contain_text("Keo Sreyneang")
    expect(folder.locator("table.applications")).to_contain_text(application)
    expect(page.locator("#grievances")).to_contain_text(grievance)
    expect(page.locator("#registration")).to_contain_text(referral)
