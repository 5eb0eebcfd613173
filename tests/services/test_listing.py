"""Lists read through one helper: filters parsed into SQL conditions (malformed values ignored and named), a
whitelist of sorts, one page at a time whatever the table holds."""

from datetime import date, datetime, timedelta

from sqlalchemy import event

from tests.factories import open_case, open_task, user
from webapp.domain.base import utcnow
from webapp.domain.tasks import Task
from webapp.services.casework.listing import day_start, parse_list, parse_query_string
from webapp.services.casework.queries import CASE_LIST, INBOX_LIST, case_list, inbox
from webapp.services.deadlines.supervision import WATCH_LIST, watch_page
from webapp.services.grievances.listing import GRIEVANCE_LIST


def test_malformed_filter_values_are_ignored_and_named():
    listing = parse_list(
        CASE_LIST,
        {
            "status": "open' OR 1=1",
            "commune": "17010",
            "from": "2026-13-01",
            "to": "9999-01-01",
            "programme": "fp elderly;",
            "sla": "late",
            "sort": "created_at desc",
            "page": "99999999",
            "q": "x" * 300,
            "unknown": "ignored quietly",
        },
    )
    assert listing.values == {}
    assert set(listing.refused) == {
        "status",
        "commune",
        "from",
        "to",
        "programme",
        "sla",
        "sort",
        "page",
        "q",
    }
    assert listing.sort == "newest" and listing.page == 0


def test_good_values_come_back_as_one_canonical_query_string():
    listing = parse_list(
        CASE_LIST,
        {
            "q": "  APP\u202e-1701 ",
            "status": "open",
            "commune": "170101",
            "from": "2026-11-01",
            "sort": "oldest",
        },
    )
    assert listing.refused == ()
    assert listing.values["q"] == "APP-1701"  # bidi controls and extra spaces removed
    assert listing.values["from"] == date(2026, 11, 1)
    assert listing.query_string() == "commune=170101&from=2026-11-01&q=APP-1701&sort=oldest&status=open"
    assert parse_query_string(CASE_LIST, listing.query_string()).args() == listing.args()


def test_a_stored_query_string_is_parsed_again_as_any_link():
    listing = parse_query_string(GRIEVANCE_LIST, "status=received&level=3&category=<script>&sort=oldest")
    assert listing.args() == {"status": "received", "sort": "oldest"}
    assert set(listing.refused) == {"level", "category"}


def test_a_day_filter_means_a_day_in_cambodia():
    assert day_start(date(2026, 11, 2)) == datetime(2026, 11, 1, 17, 0)


def test_the_deadline_page_accepts_only_its_two_states():
    assert parse_list(WATCH_LIST, {"sla": "on_track"}).refused == ("sla",)
    assert parse_list(WATCH_LIST, {"sla": "breached"}).values == {"sla": "breached"}


def test_the_case_list_reads_one_page_however_many_cases_match(session, process_engine):
    for n in range(5):
        open_case(session, process_engine, id_number=f"L{n:07d}")
    reader = user(session, "sup.ac")
    found = case_list(session, user=reader, listing=parse_list(CASE_LIST, {}, per_page=2))
    assert len(found.cases) == 2 and found.older is not None
    by_reference = case_list(
        session, user=reader, listing=parse_list(CASE_LIST, {"sort": "reference"}, per_page=2)
    )
    assert len(by_reference.cases) == 2 and by_reference.page is not None
    assert by_reference.page.next == {"page": "1"} and by_reference.page.previous is None
    second = case_list(
        session, user=reader, listing=parse_list(CASE_LIST, {"sort": "reference", "page": "1"}, per_page=2)
    )
    assert [c.reference for c in by_reference.cases + second.cases] == sorted(
        c.reference for c in by_reference.cases + second.cases
    )
    assert second.page is not None and second.page.previous == {"page": "0"}


def test_the_reference_filter_narrows_the_sql_query(session, process_engine):
    cases = [open_case(session, process_engine, id_number=f"M{n:07d}") for n in range(3)]
    wanted = cases[1]
    reader = user(session, "sup.ac")
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.connection(), "before_cursor_execute", listener)
    try:
        found = case_list(
            session, user=reader, listing=parse_list(CASE_LIST, {"q": wanted.reference.lower()})
        )
    finally:
        event.remove(session.connection(), "before_cursor_execute", listener)
    assert [c.id for c in found.cases] == [wanted.id]
    assert len(statements) == 1 and "LIKE" in statements[0].upper() and "reference" in statements[0]


def test_the_name_filter_finds_the_applicant_in_either_script(session, process_engine):
    case = open_case(session, process_engine, name_latin="Chea Bopha", name_km="ជា បុប្ផា")
    open_case(session, process_engine)
    reader = user(session, "sup.ac")
    for typed in ("bopha", "បុប្ផា"):
        found = case_list(session, user=reader, listing=parse_list(CASE_LIST, {"q": typed}))
        assert [c.id for c in found.cases] == [case.id], typed


def test_cases_filter_by_commune_step_status_and_opening_day(session, process_engine):
    here = open_case(session, process_engine)
    there = open_case(session, process_engine, actor="ca.dounpeng", village_code="17010201")
    reader = user(session, "sup.ac")

    def ids(**args):
        return {c.id for c in case_list(session, user=reader, listing=parse_list(CASE_LIST, args)).cases}

    assert ids(commune="170102") == {there.id}
    assert ids(commune="171201") == set()  # another district: the area rule stays on top
    step = open_task(session, here).spec_name
    assert ids(step=step) == {here.id, there.id}
    assert ids(step="no_such_step") == set()
    assert ids(status="closed") == set()
    today = (utcnow() + timedelta(hours=7)).date()
    assert ids(**{"from": today.isoformat(), "to": today.isoformat()}) == {here.id, there.id}
    assert ids(to=(today - timedelta(days=1)).isoformat()) == set()


def test_the_inbox_filters_by_deadline_state_and_commune(session, process_engine):
    late = open_task(session, open_case(session, process_engine))
    fresh = open_task(
        session, open_case(session, process_engine, actor="ca.dounpeng", village_code="17010201")
    )
    now = utcnow()
    late.due_at, late.at_risk_at = now - timedelta(hours=1), now - timedelta(days=1)
    fresh.due_at, fresh.at_risk_at = now + timedelta(days=5), now + timedelta(days=4)
    session.flush()
    officer = user(session, "ssdm.ac")

    def available(**args):
        return [
            t.id
            for t in inbox(session, user=officer, now=now, listing=parse_list(INBOX_LIST, args)).available
        ]

    assert available(sla="breached") == [late.id]
    assert available(sla="on_track") == [fresh.id]
    assert available(commune="170102") == [fresh.id]
    assert available(sort="oldest") == [late.id, fresh.id]


def test_the_deadline_page_reads_one_page_of_its_area(session, process_engine):
    now = utcnow()
    tasks: list[Task] = []
    for n in range(3):
        task = open_task(session, open_case(session, process_engine, id_number=f"N{n:07d}"))
        task.due_at, task.at_risk_at = now - timedelta(hours=n + 1), now - timedelta(days=1)
        tasks.append(task)
    session.flush()
    supervisor = user(session, "sup.ac")
    first = watch_page(session, user=supervisor, now=now, listing=parse_list(WATCH_LIST, {}, per_page=2))
    assert [t.id for t in first.rows] == [tasks[2].id, tasks[1].id] and first.next == {"page": "1"}
    assert watch_page(session, user=user(session, "sup.ss"), now=now).rows == []
