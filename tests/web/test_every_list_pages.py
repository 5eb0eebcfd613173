"""Contract: every list page of Sala reads one page of rows and can be filtered. Every page reached by GET
without an id in its address is either a list on the shared list machinery (below, with the rows that fill it
past one page) or named with the reason it is no list; a new page must join one or the other, so a new
unpaginated list fails here. Each list is crawled with its page size cut to one row: a pager and a filter bar
must show."""

import re
from datetime import timedelta

import pytest

from tests.factories import TODAY, drain_jobs, open_case, user
from tests.services.test_grievances import record
from tests.services.test_registry_import import GOOD, csv_bytes
from tests.web.helpers import sign_in
from tests.web.test_registry_pages import register
from webapp.domain.base import utcnow
from webapp.domain.jobs import FAILED, Job
from webapp.domain.notifications import Notification
from webapp.domain.nssf import Enterprise, Member
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework import listing
from webapp.services.grievances.committees import schedule_meeting
from webapp.services.platform.users import Account, create_user
from webapp.services.registry.changes import request_change
from webapp.services.registry.importing import upload_list
from webapp.services.registry.registration import Referral, refer_household
from webapp.web import list_pages


def _applications(session, engine):
    for _ in range(2):
        open_case(session, engine)


def _overdue_applications(session, engine):
    for _ in range(2):
        case = open_case(session, engine)
        for task in session.query(Task).filter_by(case_id=case.id, status=OPEN):
            task.due_at, task.at_risk_at = utcnow() - timedelta(hours=1), utcnow() - timedelta(days=1)
    session.flush()


def _grievances(session, engine):
    for _ in range(2):
        record(session, engine)


def _letters(session, engine):
    _applications(session, engine)
    drain_jobs(session)  # each application's "received" notice is issued


def _change_requests(session, engine):
    for number in ("170555001", "170555002"):
        person = register(session, id_number=number)
        officer = user(session, "ca.charchhuk")
        request_change(session, person=person, proposed={"occupation": "Farmer"}, reason="x", actor=officer)


def _duplicates(session, engine):
    for name, first, second in (
        ("Keo Sokha", "170666001", "170666002"),
        ("Chan Dara", "170666003", "170666004"),
    ):
        register(session, name_latin=name, name_km=name, id_number=first)
        register(session, name_latin=name, name_km=name, id_number=second)


def _referrals(session, engine):
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "No income since the flood")
    for _ in range(2):
        refer_household(
            session, engine=engine, actor=user(session, "vdc.charchhuk"), referral=referral, today=TODAY
        )


def _imports(session, engine):
    for name in ("first.csv", "second.csv"):
        upload_list(session, actor=user(session, "ca.charchhuk"), filename=name, content=csv_bytes(*GOOD))


def _failed_jobs(session, engine):
    for _ in range(2):
        session.add(Job(kind="render_letter", status=FAILED, finished_at=utcnow(), last_error="boom"))
    session.flush()


def _notifications(session, engine):
    officer = user(session, "ssdm.ac")
    for reference in ("A-1", "A-2"):
        session.add(
            Notification(user_id=officer.id, kind="task_arrived", reference=reference, task_name="Check")
        )
    session.flush()


def _audit(session, engine):
    for name in ("audit.one", "audit.two"):
        create_user(
            session,
            actor=user(session, "admin"),
            account=Account(name, name, "commune_assistant", "170101"),
            password="a long password",
        )


def _meetings(session, engine):
    secretary = user(session, "cwcc.ac")
    for days in (3, 40):
        schedule_meeting(session, actor=secretary, meets_on=TODAY + timedelta(days=days), today=TODAY)


def _nssf_enterprises(session, engine):
    for number in (1, 2):
        session.add(
            Enterprise(
                name_km="ហាងលក់ទំនិញ",
                name_latin=f"List Shop {number}",
                legal_form="sole_proprietorship",
                activity="retail",
                area_code="170101",
                registration_source="none",
            )
        )
    session.flush()


def _nssf_members(session, engine):
    for number in ("170777001", "170777002"):
        person = register(session, id_number=number)
        session.add(
            Member(person_id=person.id, kind="self_employed", schemes="voluntary_health", area_code="170101")
        )
    session.flush()


def _versions(session, engine):
    """Every process deployed for the tests has a version: more than one page of one row."""


def _accounts(session, engine):
    """The demo accounts already fill the list."""


# endpoint -> (who reads it, what fills it past one page)
LISTS = {
    "inbox.index": ("ssdm.ac", _applications),
    "cases.index": ("sup.ac", _applications),
    "grievances.index": ("sup.ac", _grievances),
    "letters.index": ("ca.charchhuk", _letters),
    "sla.watch": ("sup.ac", _overdue_applications),
    "registry.changes": ("ssdm.ac", _change_requests),
    "registry.duplicates": ("ssdm.ac", _duplicates),
    "registry_pages.register": ("ca.charchhuk", _referrals),
    "registry_imports.new": ("ca.charchhuk", _imports),
    "admin.user_list": ("admin", _accounts),
    "operations.jobs": ("admin", _failed_jobs),
    "notifications.index": ("ssdm.ac", _notifications),
    "admin.audit": ("admin", _audit),
    "committees.index": ("cwcc.ac", _meetings),
    "modeler.versions": ("sup.ac", _versions),
    "nssf.index": ("nssf.reg.siemreap", _nssf_enterprises),
    "nssf.member_list": ("nssf.reg.siemreap", _nssf_members),
}
# Pages without an id in their address that are not lists on the machinery, and why.
NOT_LISTS = {
    "admin.user_new": "a form",
    "api.grievances": "JSON for tools, capped by `limit`",
    "areas.search": "the area picker's suggestions, at most a few",
    "auth.change_password": "a form",
    "auth.sign_in": "a form",
    "cases.new": "a form",
    "catalogue.index": "the programme catalogue: one entry per programme Sala runs",
    "grievance_reports.report": "a monthly report",
    "grievances.new": "a form",
    "grievances.public_form": "a form",
    "grievances.public_status_page": "a form",
    "letters.batch": "a form",
    "modeler.diff": "a comparison of two versions",
    "modeler.import_form": "a form",
    "modeler.index": "one card per process, its newest versions (all of them: modeler.versions)",
    "modeler.vocabulary": "JSON for the modeler",
    "notifications.preferences": "a form",
    "nssf.enterprise_new": "a form",
    "nssf.inspection_new": "a form",
    "nssf.members_new": "a form",
    "nssf.public_apply": "a form",
    "nssf.report": "a report",
    "nssf.self_employed": "a form",
    "observability.healthz": "a probe",
    "observability.metrics": "a probe",
    "observability.readyz": "a probe",
    "registry.search": "search results, paged by the search itself; the query is the filter",
    "registry_monitoring.report": "a monthly report",
    "registry_pages.refer": "a form",
    "sla.calendars": "one row per office calendar",
    "sla.report": "a report",
}


def test_every_page_without_an_id_is_a_list_on_the_machinery_or_named_as_no_list(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint != "static"
    }
    assert endpoints - set(LISTS) - set(NOT_LISTS) == set()
    assert set(LISTS) & set(NOT_LISTS) == set()


@pytest.fixture
def one_row_pages(monkeypatch):
    """Every list page reads one row at a time."""
    monkeypatch.setattr(
        list_pages, "parse_list", lambda spec, args, per_page=None: listing.parse_list(spec, args, per_page=1)
    )


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_every_list_page_pages_and_filters(client, session, process_engine, one_row_pages, endpoint, app):
    username, fill = LISTS[endpoint]
    fill(session, process_engine)
    sign_in(client, username)
    with app.test_request_context():
        from flask import url_for

        path = url_for(endpoint)

    page = client.get(path)

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="list-filter"' in text
    following = re.search(r'<a href="([^"]+)" rel="next">', text)
    assert following is not None
    assert client.get(following.group(1).replace("&amp;", "&")).status_code == 200
