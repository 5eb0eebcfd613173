"""Every page is reachable by a link: a crawl from each demo role's navigation (and a visitor's), three links
deep, reaches every GET page of the app; each navigation entry opens for the role that sees it, and a page
left out of a role's navigation is one that role may not open."""

import html
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import Select, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter, RequestRedirect

from tests.factories import TODAY, drain_jobs
from tests.web.helpers import sign_in
from webapp.domain.people import User
from webapp.services.assembly.seed import demo_users, seed_demo_cases
from webapp.web.navigation import SIGNED_IN, VISITOR, entries_for

# The first demo user of each role: the Angkor Chum and Char Chhuk accounts, where the demo data lives.
ROLE_USERS = {demo.role: demo.username for demo in reversed(demo_users())}
DEPTH = 3
VISITS_PER_PAGE_KIND = 3  # a few cases, tasks, grievances of each role are enough to find their links
HREF = re.compile(r'href="([^"#][^"]*)"')
GET_FORM = re.compile(r'<form(?=[^>]*method="get")[^>]*action="([^"]+)"', re.I)  # a search box is a link too

# Not pages: files, JSON for scripts, the letter's own stylesheet and fonts, and the operators' probes.
NOT_PAGES = {
    "static",
    "letters.asset",
    "letters.pdf",
    "letters.batch_pdf",
    "cases.document",
    "api.grievances",
    "api.grievance",
    "areas.search",
    "modeler.vocabulary",
    "modeler.version_bpmn",
    "modeler.draft_bpmn",
    "modeler.decision_dmn",
    "modeler.export",
    "observability.healthz",
    "observability.readyz",
    "observability.metrics",
    "tasks.thumbnail",
    "nssf.sheet",
}
# Pages reached only by a redirect, or linked only once data the demo lacks exists, each with the reason.
REDIRECT_ONLY = {
    "auth.sign_in": "every page sends a visitor there; signing out lands there",
    "modeler.draft": "a draft exists once 'Edit a copy' (a form) creates it and redirects to it",
    "modeler.diff": "linked from a version that has a parent: the demo's processes have one version each",
    "registry_imports.show": "an uploaded list's page: the upload (a form) redirects there; no demo upload",
    "registry_imports.errors_csv": "linked from an uploaded list's page when rows were left out",
}


@pytest.fixture
def demo(session, process_engine):
    seed_demo_cases(session, engine=process_engine, today=TODAY, document=b"%PDF-1.4 demo")
    drain_jobs(session)  # the letters, so their pages have links
    return session


def _links(page: str) -> list[str]:
    found = []
    for raw in [*HREF.findall(page), *GET_FORM.findall(page)]:
        parts = urlsplit(html.unescape(raw))
        if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _endpoint(adapter: MapAdapter, url: str) -> str | None:
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
    except RequestRedirect as redirect:
        return _endpoint(adapter, urlsplit(redirect.new_url).path)
    except HTTPException:
        return None
    return str(endpoint)


def _crawl(client, adapter: MapAdapter, starts: list[str]) -> set[str]:
    """The endpoints linked from the pages three links away from `starts`."""
    reached: set[str] = set()
    seen, kinds = set(starts), Counter[str]()
    queue = deque((url, 0) for url in starts)
    while queue:
        url, depth = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in _links(response.get_data(as_text=True)):
            endpoint = _endpoint(adapter, link)
            if endpoint is None:
                continue
            reached.add(endpoint)
            if endpoint in NOT_PAGES or link in seen or depth + 1 > DEPTH or "format=" in link:
                continue
            if kinds[endpoint] >= VISITS_PER_PAGE_KIND:
                continue
            kinds[endpoint] += 1
            seen.add(link)
            queue.append((link, depth + 1))
    return reached


def _nav_urls(app, entries) -> list[str]:
    with app.test_request_context():
        return [url_for(entry.endpoint) for entry in entries]


def _get_pages(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint not in NOT_PAGES
    }


def test_every_page_of_the_app_is_reached_by_a_link_from_some_role_s_navigation(app, client, demo):
    adapter = app.url_map.bind("localhost")
    reached = _crawl(client, adapter, ["/grievance", *_nav_urls(app, VISITOR)])
    for username in sorted(ROLE_USERS.values()):
        sign_in(client, username)
        user = demo.scalars(_user_query(username)).one()
        reached |= _crawl(client, adapter, ["/", *_nav_urls(app, entries_for(user))])
    unreached = _get_pages(app) - reached - set(REDIRECT_ONLY)
    assert sorted(unreached) == [], "\n".join(sorted(unreached))


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_each_navigation_entry_opens_for_the_role_that_sees_it_and_only_for_it(app, client, session, role):
    username = ROLE_USERS[role]
    sign_in(client, username)
    user = session.scalars(_user_query(username)).one()
    shown = entries_for(user)
    assert [entry.endpoint for entry in shown][:2] == ["inbox.index", "cases.index"]
    with app.test_request_context():
        urls = {entry.endpoint: url_for(entry.endpoint) for entry in SIGNED_IN}
    refused = {endpoint: client.get(url).status_code for endpoint, url in urls.items()}
    assert {e.endpoint: refused[e.endpoint] for e in shown} == {e.endpoint: 200 for e in shown}
    hidden = [entry.endpoint for entry in SIGNED_IN if entry not in shown]
    assert {endpoint: refused[endpoint] for endpoint in hidden if refused[endpoint] not in (403, 404)} == {}


def test_a_visitor_s_navigation_opens_without_an_account(app, client):
    for url in _nav_urls(app, VISITOR):
        assert client.get(url).status_code == 200, url


def test_the_navigation_names_only_routes_the_app_has(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert [e.endpoint for e in (*SIGNED_IN, *VISITOR) if e.endpoint not in endpoints] == []


def _user_query(username: str) -> Select[tuple[User]]:
    return select(User).where(User.username == username)
