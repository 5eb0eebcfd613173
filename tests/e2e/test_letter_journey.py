"""An officer announces a result, opens the result letter, follows its QR code and sees it verified."""

import re

import segno
from playwright.sync_api import Page, expect

from tests.e2e.test_application_journey import sign_in

SVG = re.compile(r"<svg[^>]*class=\"segno\".*?</svg>", re.S)


def test_officer_issues_the_result_letter_and_its_qr_code_verifies_it(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "iso.ac")
    page.locator("#available-tasks form[action*='/tasks/'][action$='/claim'] button").first.click()
    expect(page.locator("form.spec-form")).to_be_visible()
    page.fill("#announced_on", "2026-11-20")
    page.fill("#announcement_place", "សាលាឃុំចារឈូក")
    hrefs = "links => links.map(a => a.getAttribute('href'))"
    links = page.locator("main a[href^='/cases/']").evaluate_all(hrefs)
    (case_link,) = {href for href in links if re.fullmatch(r"/cases/\d+", href)}
    page.click("form.spec-form button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()

    row = page.locator("#letters tr[data-letter='application_result']")
    for _ in range(50):  # the worker renders the letter moments after the announcement commits
        page.goto(f"{live_server}{case_link}")
        if row.count():
            break
        page.wait_for_timeout(200)
    expect(row).to_have_count(1)
    reference = row.get_attribute("data-reference") or ""
    assert reference.startswith("LTR-1701-")

    pdf = page.request.get(live_server + (row.locator("a.letter-open").get_attribute("href") or ""))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    reprint = page.request.get(live_server + (row.locator("a.letter-reprint").get_attribute("href") or ""))
    assert reprint.body() == pdf.body()

    # "Scan" the QR code: the letter's SVG must be exactly the code segno makes for the address it links to.
    html = page.request.get(live_server + (row.locator("a.letter-html").get_attribute("href") or "")).text()
    target = re.search(r'<a class="qr" href="([^"]+)"', html).group(1)
    assert segno.make(target, error="m").svg_inline(scale=1, border=2, omitsize=True) in SVG.findall(html)
    # The QR carries a token, not the reference.
    assert re.fullmatch(rf"{re.escape(live_server)}/verify/[A-Za-z0-9_-]{{22}}", target)

    page.context.clear_cookies()  # the person checking the letter has no account
    page.goto(target)
    expect(page.locator("#genuine")).to_be_visible()
    expect(page.locator("#verification")).to_have_attribute("data-reference", reference)
    expect(page.locator("#verification")).to_contain_text(reference)
