"""Playwright fixtures on the machine's Chromium, and a live Sala server with demo data for the journeys."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from werkzeug.serving import make_server

from webapp.settings import Settings

CHROMIUM = "/usr/bin/chromium"
# This machine has no network: without these flags Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}  # the office laptops' screen
PHONE: ViewportSize = {"width": 390, "height": 844}  # the phones VDC members and commune assistants carry
# The journeys' screen: the laptop by default; SALA_E2E_VIEWPORT=phone runs every journey on the phone instead
# (CI runs them once, on the laptop, to stay in its time; tests/e2e/test_phone_layout.py covers the phone).
VIEWPORTS: dict[str, ViewportSize] = {"laptop": VIEWPORT, "phone": PHONE}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # A new context per test: no cookies, storage or session leak from one journey into the next.
    context = browser.new_context(
        locale="km-KH", viewport=VIEWPORTS[os.environ.get("SALA_E2E_VIEWPORT", "laptop")]
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def in_menu(page: Page, selector: str) -> None:
    """Clicks a link or button of the top bar, first opening the menu where a phone folds it."""
    # The menu folds when the document has loaded: asked earlier (the page's text already shown), the button
    # is still hidden, the menu looks open and then folds under the click.
    page.wait_for_load_state("domcontentloaded")
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    page.click(selector)


def _prepare(settings: Settings) -> None:
    """Migrate, deploy the workflows and seed the demo users and cases the journeys start from."""
    from webapp.services.assembly.bootstrap import bootstrap

    bootstrap(settings, demo=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Imported here so the browser-only tests run even before the app exists.
    from webapp.app import create_app

    tmp = tmp_path_factory.mktemp("e2e")
    settings = Settings(
        database_url=f"sqlite:///{tmp}/e2e.sqlite3", secret_key="e2e", instance_path=tmp, testing=True
    )
    _prepare(settings)
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    stop = threading.Event()
    base_url = f"http://127.0.0.1:{server.server_port}"
    worker = threading.Thread(target=_work_until, args=(app, stop, base_url), name="e2e-worker", daemon=True)
    worker.start()
    try:
        yield base_url
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        worker.join(timeout=10)


def _work_until(app: Flask, stop: threading.Event, base_url: str) -> None:
    """Sala's worker beside the server, as `make run` starts it: it renders the letters requests queue."""
    from sqlalchemy.exc import OperationalError

    from webapp.services.assembly.worker import HANDLERS, SWEEPS
    from webapp.services.correspondence.letters import PUBLIC_URL
    from webapp.services.platform.jobs import Worker, WorkerContext

    PUBLIC_URL.set(base_url)  # as SALA_PUBLIC_URL does for a real worker

    runtime = app.extensions["sala"]
    worker = Worker(
        session_factory=runtime.session_factory,
        handlers=HANDLERS,
        sweeps=SWEEPS,
        context=WorkerContext("e2e-worker"),
    )
    while not stop.is_set():
        try:
            busy = worker.run_once()
        except OperationalError:  # SQLite busy under a request's write: retry, as run_forever does
            busy = 0
        if not busy:
            stop.wait(0.2)
