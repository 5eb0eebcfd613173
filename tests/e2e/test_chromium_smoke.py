"""Playwright drives the machine's headless Chromium and Khmer text survives the round trip."""

import os
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import VIEWPORTS

pytestmark = pytest.mark.e2e


def test_chromium_renders_a_khmer_paragraph(page: Page) -> None:
    html = '<!doctype html><html lang="km"><meta charset="utf-8"><p id="greeting">សួស្តី</p></html>'
    page.goto("data:text/html;charset=utf-8," + quote(html))
    assert page.text_content("#greeting") == "សួស្តី"
    assert page.evaluate("navigator.language") == "km-KH"
    assert page.viewport_size == VIEWPORTS[os.environ.get("SALA_E2E_VIEWPORT", "laptop")]
