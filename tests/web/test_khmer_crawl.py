"""Every page an officer can reach in Khmer is in Khmer: a crawl from the inbox as each demo role (and of
the public pages) fails on any Latin word in the visible text that is not a name, a code or a number."""

import html
import json
import re
from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from tests.factories import DOCUMENTS_OK, drain_jobs, open_case, user, work
from tests.services.test_grievances import KHMER, record
from tests.web.helpers import sign_in
from webapp.domain.cases import Case, Person
from webapp.domain.letters import Letter
from webapp.domain.sla import WorkflowTimer
from webapp.services.assembly.seed import demo_users
from webapp.services.correspondence.batches import enqueue_batch
from webapp.services.correspondence.letters import initials
from webapp.services.deadlines.sweeps import fire_case_timers

PAGES_PER_ROLE = 60
# Pages of one shape crawled per role: two of a record's page (/cases/<n>: an application and a grievance),
# one of any other (a list's other filters and pages differ only in their rows).
SAME_SHAPE, SAME_RECORD_SHAPE = 1, 2
SKIPPED = re.compile(
    r"\.(pdf|csv|xlsx|json|bpmn|dmn)$|/export$|/bpmn$|/dmn$|/html$|^/api/|^/static/|^/sign-out|"
    r"/documents/\d+$|^/(metrics|healthz|readyz)$"
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Names, codes and numbers that stay Latin in Khmer text, removed before the words are counted.
ALLOWED_PATTERNS = (
    re.compile(r"https?://\S+"),  # web addresses (the status page's, printed on a slip)
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # email addresses
    re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{4}-\d{5}\b"),  # references: APP-1701-2026-00001
    re.compile(r"[\w.() -]+\.(pdf|png|jpe?g|bpmn|dmn|csv)\b", re.IGNORECASE),  # file names
    re.compile(
        r"\b(PDF|CSV|XLSX|JPEG|PNG|BPMN|DMN|QR|SMS|SPID|SHA-256|ISO 8601|A4|UTC)\b"
    ),  # formats, standards, codes
    re.compile(r"Powered by bpmn\.io|bpmn-js|bpmn\.io|Camunda Modeler|Telegram|Excel"),  # software, by name
    re.compile(r"\.(xlsx|csv|pdf|bpmn)\b|YYYY-MM-DD|\bhead\b"),  # what an import file holds, typed as is
    re.compile(r"\bEnglish\b"),  # the language switch names English in English
)


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, scripts, styles, templates or attribute values, no <code>
    (references, hashes, process ids: codes), and nothing the page marks as English on purpose (lang="en":
    a programme's rules printed in both languages)."""

    HIDDEN = frozenset({"script", "style", "template", "noscript", "code"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._english: list[str] = []  # the open elements marked lang="en"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if any(name == "lang" and (value or "").startswith("en") for name, value in attrs):
            self._english.append(tag)
        if tag == "a":
            self.links += [value for name, value in attrs if name == "href" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if self._english and self._english[-1] == tag:
            self._english.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._english:
            self.parts.append(data)


def latin_words(text: str, names: list[str]) -> list[str]:
    for name in names:
        text = text.replace(name, " ")
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    return LATIN_WORD.findall(text)


def crawl(client, start: str, names: list[str]) -> tuple[int, dict[str, set[str]]]:
    """Breadth-first over same-site GET links from `start`; returns pages crawled and the Latin words of
    each page that has some (a page that fails with a server error is an offender too)."""
    queue, seen, shapes, offenders, crawled = deque([start]), {start}, {}, {}, 0
    while queue and crawled < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 500:
            offenders[path] = {f"HTTP {response.status_code}"}
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        crawled += 1
        parser = VisibleText()
        parser.feed(response.get_data(as_text=True))
        words = latin_words(" ".join(parser.parts), names)
        if words:
            offenders[path] = set(words)
        for href in parser.links:
            link = urlsplit(urljoin(path, href))
            if link.netloc not in ("", "localhost") or link.scheme not in ("", "http", "https"):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            shape = re.sub(r"\d+", "#", link.path)
            if target in seen or SKIPPED.search(link.path) or "format=" in link.query:
                continue
            if shapes.get(shape, 0) >= (SAME_RECORD_SHAPE if shape.endswith("#") else SAME_SHAPE):
                continue
            seen.add(target)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)
    return crawled, offenders


def one_user_per_role() -> list[str]:
    first: dict[str, str] = {}
    for demo in demo_users():
        first.setdefault(demo.role, demo.username)
    return list(first.values())


def demo_work(session, engine) -> None:
    """Cases at several steps, grievances escalated by hand and by breach, letters and a commune batch."""
    open_case(session, engine)
    decided = open_case(session, engine, name_km="កែវ សុភាព", name_latin="Keo Sopheap", sex="male")
    work(session, engine, decided, "ssdm.ac", **DOCUMENTS_OK)
    decision = {"decision": "approve", "justification": "បំពេញលក្ខខណ្ឌ។", "benefit_start": "2026-12-01"}
    work(session, engine, decided, "bo.social.ac", **decision)
    grievance = record(session, engine, complainant_name="ជា កុលាប").grievance
    case = session.get(Case, grievance.case_id)
    work(session, engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    up = {"level1_action": "send_up", "decision": "", "decision_reason": KHMER}
    work(session, engine, case, "ca.charchhuk", **up)
    breached = record(session, engine, username="ca.charchhuk", complainant_name="ជា កុលាប").grievance
    [timer] = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == breached.case_id))
    fire_case_timers(session, engine=engine, case=session.get(Case, breached.case_id), now=timer.due_at)
    record(session, engine, username="nssf.siemreap", category="social_security", complainant_name="ជា កុលាប")
    drain_jobs(session)
    enqueue_batch(
        session,
        actor=user(session, "ca.charchhuk"),
        commune_code="170101",
        start=date(2026, 11, 1),
        end=date(2026, 11, 1) + timedelta(days=40),
    )
    drain_jobs(session)
    session.commit()


def test_every_page_an_officer_reaches_in_khmer_is_in_khmer(client, session, process_engine):
    demo_work(session, process_engine)
    names = [name for name in session.scalars(select(Person.name_latin)) if name]
    names += [demo.username for demo in demo_users()]
    total, offenders = 0, {}
    for username in one_user_per_role():
        sign_in(client, username, locale="km")
        crawled, found = crawl(client, "/", names)
        total += crawled
        offenders |= {f"{username} {path}": words for path, words in found.items()}
    report = "\n".join(f"{page}: {' '.join(sorted(words))}" for page, words in sorted(offenders.items()))
    print(f"{total} pages crawled as {len(one_user_per_role())} roles in Khmer")
    assert not offenders, f"{total} pages crawled, {len(offenders)} with Latin words:\n{report}"
    assert total > 100


def test_public_pages_in_khmer_are_in_khmer(client, session, process_engine):
    demo_work(session, process_engine)
    letter = session.scalars(select(Letter)).first()
    total, offenders = 0, {}
    client.set_cookie("sala_lang", "km")
    names = [initials(name) for name in session.scalars(select(Person.name_latin)) if name]  # S. S.
    for start in ("/sign-in", "/grievance", "/grievance/status", "/verify", f"/verify/{letter.verify_token}"):
        crawled, found = crawl(client, start, names)
        total += crawled
        offenders |= found
    report = "\n".join(f"{page}: {' '.join(sorted(words))}" for page, words in sorted(offenders.items()))
    assert not offenders, f"{total} pages crawled, {len(offenders)} with Latin words:\n{report}"


def test_the_grievance_timeline_names_channel_role_and_level_in_khmer(client, session, process_engine):
    grievance = record(session, process_engine, complainant_name="ជា កុលាប").grievance
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    up = {"level1_action": "send_up", "decision": "", "decision_reason": KHMER}
    work(session, process_engine, case, "ca.charchhuk", **up)
    work(session, process_engine, case, "cwcc.ac", decision="upheld", decision_reason=KHMER)
    session.commit()
    sign_in(client, "cwcc.ac", locale="km")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') :]
    assert "បញ្ជូនទៅ</dt>" in timeline and "ទទួលតាមរយៈ</dt>" in timeline
    assert not re.search(r">(village|cwcc_secretary|by_breach|to|level|channel|upheld)<", timeline)
    assert "ថ្នាក់</dt><dd>២</dd>" in timeline  # the level, in Khmer digits


def test_a_version_page_in_khmer_names_its_decision_table_and_hands_the_diagram_its_khmer_names(
    client, session
):
    from webapp.domain.workflows import WorkflowVersion

    version = session.scalars(
        select(WorkflowVersion).where(WorkflowVersion.process_id == "ssdm_programme_application")
    ).first()
    sign_in(client, "sup.ac", locale="km")
    page = client.get(f"/processes/versions/{version.id}").get_data(as_text=True)
    assert "លក្ខខណ្ឌសិទ្ធិទទួលកម្មវិធី</a>" in page and ">programme_eligibility.dmn<" not in page
    assert re.search(r'id="bpmn-khmer" disabled checked', page)
    labels = html.unescape(re.search(r'data-labels="([^"]*)"', page).group(1))
    assert json.loads(labels)["khmer"]["commune_assistant"] == "ជំនួយការឃុំ"
    assert json.loads(labels)["calendars"]["government"] == "ការិយាល័យរដ្ឋ"
