"""What the busiest pages cost the server: how many SQL statements the inbox and the case page send, and the
per-process caches that keep them few (the filter bar's gazetteer and programmes) following who looks."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from tests.web.helpers import post, sign_in
from webapp.domain.areas import Area
from webapp.domain.base import utcnow
from webapp.domain.workflows import WorkflowVersion
from webapp.web import reference
from webapp.web.labels import area_label, process_label

# Statements answering one page once the process is warm; each list row must not add any (no N+1).
INBOX_BUDGET = 5
REFERENCE_TABLES = re.compile(r"\bFROM (area|programme)\b")
CASE_PAGE_BUDGET = 10
# The deadline report names each row's process and office from what the request or the process keeps.
SLA_REPORT_BUDGET = 6


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SELECT/INSERT/UPDATE/DELETE statements sent while the block runs (not the tests' savepoints)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _overdue_task(session, process_engine, id_number: str):  # type: ignore[no-untyped-def]
    case = open_case(session, process_engine, id_number=id_number)
    task = open_task(session, case)
    task.due_at = utcnow() - timedelta(days=3)
    task.at_risk_at = task.due_at - timedelta(days=2)
    return case, task


def _cases_with_tasks(session, process_engine, count: int) -> None:
    for number in range(count):
        open_case(session, process_engine, id_number=f"COST{number:04d}")
    session.commit()


def test_inbox_stays_within_its_statement_budget_however_many_rows_it_lists(
    client, session, process_engine, db_engine
):
    _cases_with_tasks(session, process_engine, 2)
    sign_in(client, "ssdm.ac")
    client.get("/")  # the first page of a process reads the filter bar's reference data
    with statements(db_engine) as few:
        assert client.get("/").status_code == 200
    _cases_with_tasks(session, process_engine, 6)
    with statements(db_engine) as many:
        page = client.get("/").get_data(as_text=True)
    assert page.count('action="/tasks/') >= 8
    assert len(many) == len(few) <= INBOX_BUDGET, many


def test_case_page_stays_within_its_statement_budget(client, session, process_engine, db_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ssdm.ac")
    client.get(f"/cases/{case.id}")
    with statements(db_engine) as sent:
        assert client.get(f"/cases/{case.id}").status_code == 200
    assert len(sent) <= CASE_PAGE_BUDGET, sent


def test_filter_bar_reads_the_gazetteer_and_programmes_once_per_process(client, db_engine):
    sign_in(client, "sup.ac")
    client.get("/cases/")
    with statements(db_engine) as sent:
        page = client.get("/cases/").get_data(as_text=True)
    assert not [s for s in sent if REFERENCE_TABLES.search(s)], sent
    assert 'value="170101"' in page and 'value="fp_elderly"' in page


def test_commune_filter_follows_an_officer_moved_to_another_district(client, session):
    sign_in(client, "sup.ac")
    assert 'value="170101"' in client.get("/cases/").get_data(as_text=True)
    user(session, "sup.ac").area_code = "1712"
    session.commit()
    page = client.get("/cases/").get_data(as_text=True)
    assert 'value="171201"' in page
    assert 'value="170101"' not in page


def test_commune_names_follow_the_reader_language_from_the_kept_rows(client, session):
    sign_in(client, "sup.ac", locale="km")
    khmer = client.get("/cases/").get_data(as_text=True)
    post(client, "/language", {"locale": "en", "next": "/cases/"})
    english = client.get("/cases/").get_data(as_text=True)
    commune = user(session, "ca.charchhuk").area
    assert commune is not None
    assert f">{commune.name_km}<" in khmer
    assert f">{commune.name_latin}<" in english


def test_inbox_rows_show_their_task_after_the_table_labels_are_hoisted(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    page = client.get("/").get_data(as_text=True)
    assert f'action="/tasks/{task.id}/claim"' in page
    assert 'data-label="Due"' in page and 'data-label="Held by"' in page
    assert 'name="csrf_token" value="' in page.split(f'action="/tasks/{task.id}/claim"', 1)[1][:400]


def test_case_list_rows_keep_their_labels_translated_once_per_page(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ssdm.ac", locale="km")
    page = client.get("/cases/").get_data(as_text=True)
    row = page.split(f'data-case="{case.id}"', 1)[1].split("</tr>", 1)[0]
    assert case.reference in row
    assert row.count("data-label=") == 6 and 'data-label="Reference"' not in row


def test_task_form_reads_the_villages_and_programmes_once_per_process(
    client, session, process_engine, db_engine
):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    post(client, f"/tasks/{task.id}/claim")
    client.get(f"/tasks/{task.id}")
    with statements(db_engine) as sent:
        assert client.get(f"/tasks/{task.id}").status_code == 200
    assert not [s for s in sent if REFERENCE_TABLES.search(s)], sent


def test_intake_form_offers_the_villages_of_the_officer_commune_in_the_reader_language(client, session):
    sign_in(client, "ca.charchhuk", locale="km")
    khmer = client.get("/cases/new").get_data(as_text=True)
    sign_in(client, "ca.chrouy", locale="en")
    english = client.get("/cases/new").get_data(as_text=True)
    assert 'value="17010101"' in khmer and 'value="17120101"' not in khmer
    assert 'value="17120101"' in english and 'value="17010101"' not in english
    village = user(session, "vdc.charchhuk").area
    assert village is not None and f">{village.name_km}<" in khmer


def test_report_labels_read_process_names_once_per_request_and_area_names_once_per_process(
    app, client, session, db_engine
):
    district = session.get(Area, "1701")
    newest = session.scalars(select(WorkflowVersion).order_by(WorkflowVersion.version.desc())).first()
    assert district is not None and newest is not None
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        area_label("1701")
        process_label(newest.process_id)
        with statements(db_engine) as sent:
            processes = [process_label(newest.process_id), process_label("no_such_process")]
            areas = [area_label("1701"), area_label("1701")]
    assert sent == []
    assert processes == [newest.name, "no_such_process"]
    assert areas == [district.name_latin, district.name_latin]


def test_deadline_report_stays_within_its_statement_budget_however_many_rows_it_shows(
    client, session, process_engine, db_engine
):
    for number in range(3):
        case = open_case(session, process_engine, id_number=f"SLAR{number:04d}")
        work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
        _overdue_task(session, process_engine, f"SLAO{number:04d}")
    session.commit()
    sign_in(client, "sup.ac")
    client.get("/sla/report")
    with statements(db_engine) as sent:
        page = client.get("/sla/report").get_data(as_text=True)
    assert "Check the documents" in page
    assert len(sent) <= SLA_REPORT_BUDGET, sent


def test_step_filter_offers_the_steps_with_open_work_read_once_a_minute_per_area(
    client, session, process_engine, db_engine, monkeypatch
):
    monkeypatch.setattr(reference, "_KEPT", {})  # nothing kept from the tests before
    case = open_case(session, process_engine)
    session.commit()
    step = open_task(session, case).spec_name
    sign_in(client, "sup.ac")
    client.get("/cases/")
    with statements(db_engine) as sent:
        page = client.get("/").get_data(as_text=True)
    assert f'<option value="{step}"' in page
    assert not [s for s in sent if "DISTINCT task.spec_name" in s], sent
