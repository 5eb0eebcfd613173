"""A villager's complaint: the VDC records it in Khmer, the commune cannot resolve it, the CWCC decides at its
meeting, the decision letter is issued and the person checks the status with their number and code."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_application_journey import sign_in, sign_out

COMPLAINT = "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែតុលាទេ ទោះបីគ្រួសារខ្ញុំមានប័ណ្ណក្រីក្រក៏ដោយ។"


def claim(page: Page, reference: str) -> None:
    page.locator("#available-tasks tr", has_text=reference).locator("form[action$='/claim'] button").click()
    expect(page.locator("form.spec-form")).to_be_visible()


def pick_area(page: Page, typed: str, code: str) -> None:
    """Types a place name into the area type-ahead and picks the suggestion with `code`, as a person does: the
    browser then puts the option's value (the area code) in the field."""
    page.locator("#area").press_sequentially(typed)
    option = page.locator(f"#area-options option[value='{code}']")
    expect(option).to_be_attached()
    page.locator("#area").fill(option.get_attribute("value") or "")


def test_a_village_complaint_reaches_the_cwcc_and_the_person_checks_its_status(
    page: Page, live_server: str
) -> None:
    sign_in(page, live_server, "vdc.charchhuk")
    page.goto(f"{live_server}/grievances/new")
    page.select_option("#category", "unsuccessful_application")
    pick_area(page, "Prasat", "17010101")
    page.fill("#complainant_name", "សុខ ស្រីមុំ")
    page.fill("#contact", "012 345 678")
    page.check("#confidential")
    page.fill("#description", COMPLAINT)
    page.click("main form button[type=submit]")
    flash = page.locator(".flash-success").inner_text()
    reference = re.search(r"GRV-\d{4}-\d{4}-\d{5}", flash).group(0)
    code = re.search(r"([A-Z]{8})\s*$", flash.strip()).group(1)
    expect(page.locator("#complainant")).to_contain_text("សុខ ស្រីមុំ")

    page.goto(f"{live_server}/")
    claim(page, reference)
    page.select_option("#level1_action", "send_to_commune")
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "ca.charchhuk")
    claim(page, reference)
    page.select_option("#level1_action", "send_up")
    page.fill("#decision_reason", "ត្រូវការការពិនិត្យដោយគណៈកម្មាធិការ។")
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "cwcc.ac")
    page.goto(f"{live_server}/committee/")
    page.click("main form button[type=submit]")  # the proposed date: today
    item = page.locator(f".agenda-item[data-grievance='{reference}']")
    expect(item).to_contain_text("សុខ ស្រីមុំ")  # the secretary sees the confidential complainant
    item.locator("select[name=decision]").select_option("upheld")
    item.locator("textarea[name=reason]").fill("គ្រួសារនេះមាននៅក្នុងបញ្ជីអ្នកក្រីក្រ។")
    item.locator("button[type=submit]").click()
    expect(page.locator("#decided")).to_contain_text(reference)

    page.goto(f"{live_server}/grievances/")
    page.locator("#grievances a", has_text=reference).click()
    page.click("main a.btn-secondary")  # tasks, letters and timeline
    row = page.locator("#letters tr[data-letter='grievance_decision']")
    for _ in range(50):  # letters may be rendered by the worker moments after the decision commits
        if row.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(row).to_have_count(1)
    sign_out(page)

    page.context.clear_cookies()  # the person has no account
    page.goto(f"{live_server}/grievance/status")
    page.fill("#reference", reference)
    page.fill("#code", "WRONGCODE")
    page.click("main form button[type=submit]")
    expect(page.locator("#status")).to_have_count(0)
    page.fill("#reference", reference)
    page.fill("#code", code)
    page.click("main form button[type=submit]")
    expect(page.locator("#status")).to_contain_text(reference)
    expect(page.locator("#decision")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("សុខ ស្រីមុំ")
