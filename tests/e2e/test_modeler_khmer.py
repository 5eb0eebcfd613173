"""The diagram in Khmer: a published version is drawn with the catalog's Khmer names (lanes by their role),
and the toggle brings back the names the diagram is written with; the draft panel names roles and forms, and
the editor shows the Khmer names as a read-only preview."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_application_journey import sign_in


def test_a_version_is_drawn_with_khmer_names_and_the_toggle_shows_the_source_names(page: Page, live_server):
    sign_in(page, live_server, "sup.ac")
    page.goto(f"{live_server}/processes/")
    page.locator("#process-ssdm_programme_application a[href*='/processes/versions/']").first.click()
    canvas = page.locator("#bpmn-canvas[data-ready=true]")
    expect(canvas).to_have_attribute("data-names", "km")
    labels = page.locator("#bpmn-canvas svg text")
    expect(labels.filter(has_text="ជំនួយការឃុំ").first).to_be_attached()  # the lane commune_assistant
    expect(labels.filter(has_text="Take the application")).to_have_count(0)
    page.uncheck("#bpmn-khmer")
    expect(canvas).to_have_attribute("data-names", "source")
    expect(labels.filter(has_text="Take the application").first).to_be_attached()


def test_the_draft_panel_names_a_lane_by_its_role_without_its_key(page: Page, live_server):
    sign_in(page, live_server, "sup.ac")
    page.goto(f"{live_server}/processes/")
    page.locator("#process-ssdm_programme_application a[href*='/processes/versions/']").first.click()
    page.click("form[action$='/drafts'] button[type=submit]")
    expect(page.locator("#bpmn-canvas[data-ready=true]")).to_be_attached()
    page.evaluate(
        """() => {
          const modeler = window.salaModeler;
          modeler.get("selection").select(modeler.get("elementRegistry").get("lane_commune_assistant"));
        }"""
    )
    heading = page.locator("#sala-properties h2")
    expect(heading).to_have_text(re.compile("^ជំនួយការឃុំ · ជួរ$"))
    option = page.locator("#sala-prop-lane option[value=commune_assistant]")
    expect(option).to_have_text("ជំនួយការឃុំ")


def test_the_editor_previews_khmer_names_read_only_and_keeps_the_edits(page: Page, live_server):
    sign_in(page, live_server, "sup.ac")
    page.goto(f"{live_server}/processes/")
    page.locator("#process-ssdm_programme_application a[href*='/processes/versions/']").first.click()
    page.click("form[action$='/drafts'] button[type=submit]")
    canvas = page.locator("#bpmn-canvas[data-ready=true]")
    expect(canvas).to_have_attribute("data-names", "source")
    page.evaluate(
        """() => {
          const modeler = window.salaModeler;
          const intake = modeler.get("elementRegistry").get("intake");
          modeler.get("modeling").updateLabel(intake, "Meet the family");
        }"""
    )
    page.check("#bpmn-khmer")
    expect(canvas).to_have_attribute("data-names", "km")
    texts = page.locator("#bpmn-canvas svg text")
    expect(texts.filter(has_text="ជំនួយការឃុំ").first).to_be_attached()
    expect(page.locator("#bpmn-save")).to_be_disabled()
    page.uncheck("#bpmn-khmer")
    expect(canvas).to_have_attribute("data-names", "source")
    expect(texts.filter(has_text="Meet the family").first).to_be_attached()
    expect(page.locator("#bpmn-save")).to_be_enabled()
