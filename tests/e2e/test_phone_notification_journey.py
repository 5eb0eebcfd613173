"""On a phone: a VDC member records a grievance and sends it to the commune; the commune assistant sees the
bell's count, opens the notification, and works the grievance from its task page."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_phone_layout import PROBLEMS
from webapp.services.assembly.seed import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

COMPLAINT = "គ្រួសារខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែវិច្ឆិកាទេ។"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#my-tasks")).to_be_visible()


def sign_out(page: Page) -> None:
    page.click(".menu-toggle")  # on a phone the account's buttons fold behind the menu
    page.click("form[action$='/sign-out'] button")
    expect(page.locator("#username")).to_be_visible()


def test_the_commune_assistant_is_told_on_the_phone_and_works_the_grievance(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(locale="km-KH", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "vdc.charchhuk")
        page.goto(f"{live_server}/grievances/new")
        page.select_option("#category", "unsuccessful_application")
        page.fill("#area", "17010101")  # the area type-ahead takes the village code
        page.fill("#complainant_name", "សុខ ស្រីមុំ")
        page.fill("#description", COMPLAINT)
        page.click("main form button[type=submit]")
        reference = re.search(r"GRV-\d{4}-\d{4}-\d{5}", page.locator(".flash-success").inner_text()).group(0)
        page.goto(f"{live_server}/")
        page.locator("#available-tasks tr", has_text=reference).locator(
            "form[action$='/claim'] button"
        ).click()
        page.select_option("#level1_action", "send_to_commune")
        page.click("form.spec-form button[type=submit]")
        expect(page.locator(".flash-success")).to_be_visible()
        sign_out(page)

        sign_in(page, live_server, "ca.charchhuk")
        bell = page.locator(".topbar-row a.bell")
        expect(bell).to_be_visible()  # beside the folded menu, not inside it
        expect(bell.locator(".bell-count")).to_be_visible()
        assert int(bell.locator(".bell-count").get_attribute("data-unread")) >= 1
        bell.click()
        notice = page.locator(".notification.unread a", has_text=reference)
        expect(notice).to_contain_text("កិច្ចការថ្មីសម្រាប់អ្នក")
        assert page.evaluate(PROBLEMS) == []  # fits the phone, thumb-sized targets
        notice.click()

        expect(page.locator("h1")).to_contain_text(reference)
        page.click("form[action$='/claim'] button")
        expect(page.locator("form.spec-form")).to_be_visible()
        assert page.evaluate(PROBLEMS) == []
        page.select_option("#level1_action", "resolve")
        page.select_option("#decision", "upheld")
        page.fill("#decision_reason", "គ្រួសារនេះនឹងទទួលបានប្រាក់ខែវិច្ឆិកា។")
        page.click("form.spec-form button[type=submit]")
        expect(page.locator(".flash-success")).to_be_visible()

        page.goto(f"{live_server}/notifications/")
        expect(page.locator(".notification a", has_text=reference)).to_have_count(1)
        expect(page.locator(".notification.unread a", has_text=reference)).to_have_count(0)
    finally:
        context.close()
