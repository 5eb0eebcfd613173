"""The HTTP clients of the business registry and national ID check against a local server that answers well,
slowly, with garbage, or not at all: every failure is ServiceUnavailable, never a hang or a crash."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webapp.services.nssf.adapters import ServiceUnavailable
from webapp.services.nssf.adapters.http import HttpBusinessRegistry, HttpNationalIdCheck

ENTERPRISE = {
    "registration_number": "OBR-2024-100001",
    "name_km": "ហាងកាត់ដេរ",
    "name_latin": "Garment Shop",
    "source": "obr",
    "registered_on": "2024-06-12",
    "province_code": "17",
    "legal_form": "sole_proprietorship",
    "activity": "garment",
}


class Handler(BaseHTTPRequestHandler):
    mode = "ok"
    calls = 0

    def do_GET(self) -> None:
        Handler.calls += 1
        if Handler.mode == "slow":
            time.sleep(0.5)
        if Handler.mode == "missing":
            self.send_response(404)
            self.end_headers()
            return
        if Handler.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        body = b"<html>not json" if Handler.mode == "garbage" else json.dumps(ENTERPRISE).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def reset() -> None:
    Handler.mode, Handler.calls = "ok", 0


def test_a_good_answer_is_read(server):
    found = HttpBusinessRegistry(server, 1.0, 2).lookup("obr-2024-100001")
    assert found is not None and found.source == "obr" and found.registered_on.year == 2024


def test_an_unknown_number_is_none_without_retrying(server):
    Handler.mode = "missing"
    assert HttpNationalIdCheck(server, 1.0, 3).lookup("123456789") is None
    assert Handler.calls == 1


@pytest.mark.parametrize("mode", ["slow", "garbage", "error"])
def test_a_slow_broken_or_failing_service_is_unavailable_after_its_attempts(server, mode):
    Handler.mode = mode
    with pytest.raises(ServiceUnavailable):
        HttpBusinessRegistry(server, 0.1, 2).lookup("OBR-2024-100001")
    assert Handler.calls == 2


def test_a_service_that_is_down_is_unavailable():
    with pytest.raises(ServiceUnavailable):
        HttpBusinessRegistry("http://127.0.0.1:9", 0.2, 2).lookup("OBR-2024-100001")
