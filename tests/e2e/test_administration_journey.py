"""An administrator creates a commune assistant for a commune without demo staff; the new officer signs in,
must change the temporary password, and opens an application in their commune."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import in_menu
from webapp.services.assembly.seed import DEMO_PASSWORD

FIXTURES = Path(__file__).parent.parent / "fixtures"
COMMUNE = "170302"  # a commune of Siem Reap outside the pilot districts


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main form button[type=submit]")


def test_an_administrator_creates_an_officer_who_changes_the_password_and_works(
    page: Page, live_server: str
) -> None:
    _sign_in(page, live_server, "admin", DEMO_PASSWORD)
    expect(page.locator("#my-tasks")).to_be_visible()
    in_menu(page, "nav a[href='/admin/users']")
    page.click("#new-account")
    page.fill("#username", "ca.e2e")
    page.fill("#full_name", "Chea Sopheap ជា សុភាព")
    page.select_option("#role", "commune_assistant")
    page.locator("#area_code").press_sequentially(COMMUNE[:4], delay=50)
    expect(page.locator(f"#area_code-options option[value='{COMMUNE}']")).to_have_count(1)  # the type-ahead
    page.fill("#area_code", COMMUNE)
    page.fill("#password", "temporary-2026")
    page.click("#account-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    in_menu(page, "form[action$='/sign-out'] button")

    _sign_in(page, live_server, "ca.e2e", "temporary-2026")
    expect(page).to_have_url(f"{live_server}/password")
    page.goto(f"{live_server}/cases/")  # every page leads back to the change form
    expect(page).to_have_url(f"{live_server}/password")
    page.fill("#current", "temporary-2026")
    page.fill("#password", "my-own-password-1")
    page.click("main form button[type=submit]")
    expect(page.locator("#my-tasks")).to_be_visible()

    in_menu(page, "nav a[href='/cases/new']")
    page.fill("#name_km", "សុខ ស្រីមុំ")
    page.fill("#name_latin", "Sok Sreymom")
    page.select_option("#sex", "female")
    page.fill("#date_of_birth", "1950-02-10")
    page.select_option("#id_kind", "national_id")
    page.fill("#id_number", "170302001")
    village = page.locator("#village option").nth(1).get_attribute("value") or ""
    assert village.startswith(COMMUNE)
    page.select_option("#village", village)
    page.select_option("#equity_card", "poor_1")
    page.fill("#household_size", "3")
    page.select_option("#programme", "fp_elderly")
    page.set_input_files("#family_book", str(FIXTURES / "family_book.pdf"))
    page.set_input_files("#id_card", str(FIXTURES / "id_card.png"))
    page.click("form.spec-form button[type=submit]")
    assert page.locator(".reference").inner_text().strip().startswith("APP-1703-")
