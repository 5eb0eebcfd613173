"""A supervisor adds a step with a form and a deadline to the application process in Khmer and publishes it:
a new case reaches the new step while an older case finishes on the old version."""

import json
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from tests.e2e.conftest import in_menu
from tests.e2e.test_application_journey import sign_in
from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, open_case, open_task, work
from webapp.db import make_engine
from webapp.domain.cases import CLOSED, Case
from webapp.services.deadlines.calendars import create_process_engine
from webapp.settings import Settings

NEW_STEP = "ពិនិត្យសេចក្តីសម្រេចឡើងវិញ"  # "Review the decision again"

# Inserts a user task between record_decision and announce_result, through bpmn-js's own modeling API.
ADD_STEP = """(name) => {
  const modeler = window.salaModeler;
  const registry = modeler.get("elementRegistry");
  const modeling = modeler.get("modeling");
  const record = registry.get("record_decision");
  const announce = registry.get("announce_result");
  modeling.removeElements([registry.get("flow_to_announce_result")]);
  const task = modeling.createShape(
    { type: "bpmn:UserTask" }, { x: announce.x + announce.width / 2, y: announce.y - 40 }, announce.parent
  );
  modeling.updateLabel(task, name);
  modeling.connect(record, task);
  modeling.connect(task, announce);
  modeler.get("selection").select(task);
  return task.id;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """A server of its own: publishing here must not change the process the other journeys run."""
    from webapp.app import create_app
    from webapp.services.assembly.bootstrap import bootstrap

    tmp = tmp_path_factory.mktemp("modeler")
    settings = Settings(
        database_url=f"sqlite:///{tmp}/e2e.sqlite3", secret_key="e2e", instance_path=tmp, testing=True
    )
    bootstrap(settings, demo=True)
    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", settings
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _session(settings: Settings) -> Session:
    return Session(make_engine(settings.database_url), expire_on_commit=False)


def test_supervisor_adds_a_step_and_publishes_while_an_older_case_keeps_its_version(
    page: Page, server: tuple[str, Settings]
) -> None:
    base, settings = server
    engine = create_process_engine()  # with working_deadline, as the server runs it
    errors: list[str] = []
    page.on("console", lambda message: _keep_error(errors, message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with _session(settings) as session:
        older = open_case(session, engine)
        session.commit()

    sign_in(page, base, "sup.ac")
    in_menu(page, "nav a[href='/processes/']")
    page.locator("#process-ssdm_programme_application table a").first.click()
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    page.click("form[action$='/drafts'] button")
    expect(page.locator("#bpmn-canvas")).to_have_attribute("data-ready", "true")

    step_id = page.evaluate(ADD_STEP, NEW_STEP)
    expect(page.locator("#sala-prop-form")).to_be_visible()
    page.select_option("#sala-prop-form", "check_documents")
    page.fill("#sala-prop-sla", "P2D")
    page.press("#sala-prop-sla", "Tab")
    expect(page.locator(".djs-container text", has_text=NEW_STEP)).to_be_visible()
    page.fill("#change-note", "ការពិនិត្យថ្មី")
    page.click("#bpmn-publish button")
    expect(page.locator(".flash-success")).to_be_visible()
    page.click("a[href*='/processes/diff']")
    expect(page.locator(f'.djs-element.sala-added[data-element-id="{step_id}"]')).to_be_visible()
    assert errors == []
    # dmn-js's table sets a few inline styles that the Content-Security-Policy refuses; the table still shows.
    page.goto(f"{base}/processes/")
    page.locator("#process-ssdm_programme_application table a").first.click()
    page.click("a[href$='/decisions/programme_eligibility.dmn']")
    expect(page.locator("#dmn-canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator("#dmn-canvas .tjs-table")).to_contain_text("Equity card")

    with _session(settings) as session:
        newer = open_case(session, engine)
        work(session, engine, newer, "ssdm.ac", **DOCUMENTS_OK)
        work(session, engine, newer, "bo.social.ac", **APPROVE)
        task = open_task(session, newer)
        assert (task.spec_name, task.name, task.form_key) == (step_id, NEW_STEP, "check_documents")
        work(session, engine, older, "ssdm.ac", **DOCUMENTS_OK)
        work(session, engine, older, "bo.social.ac", **APPROVE)
        work(session, engine, older, "iso.ac", **ANNOUNCE)
        session.commit()
        assert session.scalar(select(Case.status).where(Case.id == older.id)) == CLOSED
        assert older.workflow_version_id != newer.workflow_version_id
        published = json.loads(newer.workflow_version.files_json)["ssdm_programme_application.bpmn"]
        assert '<spiffworkflow:property name="slaTarget" value="P2D" />' in published


def _keep_error(errors: list[str], message: ConsoleMessage) -> None:
    """Script errors and Content-Security-Policy refusals; the browser's own favicon request is no error."""
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(message.text)
