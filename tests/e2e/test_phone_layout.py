"""Sala on a 390px phone, as VDC members and commune assistants use it in the field: every page of each role's
navigation, and a case, a task, a grievance and a letter, fit the screen without sideways scrolling, and every
button and link a thumb presses is at least 44px high (links inside running text excepted). The letter's page
view draws Khmer with the letters' own font."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE
from webapp.services.assembly.seed import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# What a page must not do on a phone: scroll sideways, or offer a target smaller than a thumb.
PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) {
    const wide = [...document.querySelectorAll("main *")]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1);
    problems.push(`scrollWidth ${width}: ` + wide.slice(-3).map(e => e.outerHTML.slice(0, 80)).join(" | "));
  }
  const inText = (el) => el.tagName === "A" && !el.classList.contains("btn") && (el.closest("p, dd, li.prose")
    || [...el.parentElement.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() && n !== el));
  for (const el of document.querySelectorAll("a[href], button, summary, input[type=submit]")) {
    const box = el.getBoundingClientRect();
    const hidden = getComputedStyle(el).visibility === "hidden";
    if (box.width === 0 || box.height === 0 || box.bottom <= 0 || hidden) continue;
    if (inText(el)) continue;
    if (box.height < 44) problems.push(`${Math.round(box.height)}px: ${el.outerHTML.slice(0, 90)}`);
  }
  return problems;
}"""
ROLES = ("vdc.charchhuk", "ca.dounpeng", "sup.ac", "cwcc.ac", "admin")
TASK_LINK = "main a[href^='/tasks/']"
CASE_LINK = "main table a[href^='/cases/']"
GRIEVANCE_LINK = "#grievances a[href^='/grievances/']"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="km-KH", viewport=PHONE)
    try:
        yield context.new_page()
    finally:
        context.close()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in")
    assert page.evaluate(PROBLEMS) == [], "sign-in page"
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#my-tasks")).to_be_visible()


def _check(page: Page, url: str, failures: dict[str, list[str]]) -> None:
    page.goto(url)
    problems = page.evaluate(PROBLEMS)
    if problems:
        failures[url] = problems


def _first_href(page: Page, url: str, selector: str) -> str | None:
    page.goto(url)
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_fits_a_phone_with_thumb_sized_targets(
    phone: Page, live_server: str, username: str
) -> None:
    _sign_in(phone, live_server, username)
    menu = phone.locator(".menu-toggle")
    expect(menu).to_be_visible()
    expect(phone.locator(".topbar-nav")).to_be_hidden()
    menu.click()
    expect(phone.locator(".topbar-nav")).to_be_visible()
    failures: dict[str, list[str]] = {}
    if problems := phone.evaluate(PROBLEMS):
        failures["open menu"] = problems
    pages = phone.locator(".topbar-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in pages:
        _check(phone, live_server + href, failures)
    for list_url, selector in (("/", TASK_LINK), ("/cases/", CASE_LINK), ("/grievances/", GRIEVANCE_LINK)):
        if (href := _first_href(phone, live_server + list_url, selector)) is not None:
            _check(phone, live_server + href, failures)
    assert failures == {}


def test_a_case_its_letters_and_the_letter_page_fit_a_phone_and_use_the_letter_font(
    phone: Page, live_server: str
) -> None:
    _sign_in(phone, live_server, "ca.dounpeng")
    case_href = _first_href(phone, f"{live_server}/cases/", CASE_LINK)
    assert case_href is not None
    failures: dict[str, list[str]] = {}
    letter = phone.locator("a.letter-html").first
    for _attempt in range(100):  # the worker renders the demo's letters beside the server
        _check(phone, live_server + case_href, failures)
        if letter.count():
            break
        phone.wait_for_timeout(200)
    letter_href = letter.get_attribute("href")
    _check(phone, live_server + case_href + "/print", failures)
    _check(phone, live_server + letter_href, failures)
    assert failures == {}
    assert phone.locator("link[rel=stylesheet][href='/letters/assets/letter.css']").count() == 1
    loaded = phone.evaluate(
        """async () => {
          await document.fonts.ready;
          return [...document.fonts].filter(f => f.family.replaceAll('"', '') === 'Sala Khmer'
            && f.status === 'loaded').length;
        }"""
    )
    assert loaded >= 1
    khmer = phone.locator("article.letter[lang=km] .body p").first
    assert "Sala Khmer" in khmer.evaluate("p => getComputedStyle(p).fontFamily")
