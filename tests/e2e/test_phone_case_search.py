"""On a 390px phone a commune assistant finds a case by its reference on the case list, opens it, and marks
its letter delivered from the commune's letters."""

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PHONE, in_menu
from tests.e2e.test_application_journey import sign_in

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_commune_assistant_finds_a_case_by_reference_on_a_phone_and_hands_its_letter_over(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(locale="km-KH", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "ca.dounpeng")
        waiting = page.locator("#letters tbody tr")
        for _ in range(100):  # the worker renders the demo's Dounpeng letters moments after start-up
            page.goto(f"{live_server}/letters/?delivery=waiting")
            if waiting.count():
                break
            page.wait_for_timeout(200)
        expect(waiting.first).to_be_visible()
        reference = waiting.first.locator("a[href$='#letters']").inner_text()

        in_menu(page, "a[href='/cases/']")
        page.fill(".list-filter input[name=q]", reference.rsplit("-", 1)[-1])
        page.click(".list-filter button[type=submit]")
        rows = page.locator("#cases tbody tr")
        expect(rows).to_have_count(1)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        rows.first.locator("a", has_text=reference).click()
        expect(page.locator("main")).to_contain_text(reference)

        page.goto(f"{live_server}/letters/?delivery=waiting&q={reference}")
        page.locator("#letters tbody input[type=checkbox]").first.check()
        page.select_option("#deliver-selected select[name=how]", "in_person")
        page.click("#deliver-selected button[type=submit]")
        expect(page.locator(".flash-success")).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()
