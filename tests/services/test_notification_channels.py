"""The ways out: a real SMTP server on this machine, and an HTTP gateway that answers, is slow, is down or
answers nonsense. A failing gateway fails only its delivery job, which is retried and then shown to
administrators; nothing else waits for it."""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.factories import open_case, user
from webapp.domain.jobs import FAILED, QUEUED, Job
from webapp.domain.notifications import QUEUED as MESSAGE_QUEUED
from webapp.domain.notifications import SENT, OutboundMessage
from webapp.services.assembly.worker import HANDLERS
from webapp.services.notifications.channels import (
    ChannelConfig,
    DeliveryFailed,
    HttpGateway,
    SmtpMailer,
    build_channels,
)
from webapp.services.notifications.delivery import DELIVERY_JOB
from webapp.services.notifications.preferences import Choices, save_preferences
from webapp.services.platform.jobs import WorkerContext, run_job, take_job


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def test_an_email_goes_through_a_real_smtp_server_in_khmer(smtp_server):
    port, inbox = smtp_server
    mailer = SmtpMailer(ChannelConfig(smtp_host="127.0.0.1", smtp_port=port, smtp_from="sala@example.gov.kh"))
    mailer.send("ssdm.ac@example.gov.kh", "សាលា៖ SR-1701-2026-000001", "កិច្ចការថ្មីសម្រាប់អ្នក")
    ((sender, recipients, content),) = inbox.received
    assert (sender, recipients) == ("sala@example.gov.kh", ["ssdm.ac@example.gov.kh"])
    parsed = message_from_bytes(content)
    assert str(make_header(decode_header(parsed["Subject"]))) == "សាលា៖ SR-1701-2026-000001"
    assert parsed.get_payload(decode=True).decode("utf-8").strip() == "កិច្ចការថ្មីសម្រាប់អ្នក"


def test_an_smtp_server_that_is_down_fails_the_delivery():
    mailer = SmtpMailer(ChannelConfig(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=2))
    with pytest.raises(DeliveryFailed):
        mailer.send("a@example.gov.kh", "s", "b")


class Gateway(BaseHTTPRequestHandler):
    """A gateway whose behaviour each test sets: answer, status, delay, and what it received."""

    answer: bytes = b'{"id": "m-1"}'
    status = 200
    delay = 0.0
    received: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {"body": json.loads(self.rfile.read(length)), "auth": self.headers.get("Authorization")}
        )
        time.sleep(type(self).delay)
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may have given up waiting
            self.wfile.write(type(self).answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[tuple[str, type[Gateway]]]:
    handler = type("TestGateway", (Gateway,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/send", handler
    finally:
        server.shutdown()
        server.server_close()


def gateway_client(url: str, **overrides) -> HttpGateway:
    config = ChannelConfig(sms_url=url, sms_token="t0ken", sms_timeout=0.5, sms_tries=3, **overrides)
    return HttpGateway(config, sleep=lambda _seconds: None)


def test_the_gateway_gets_the_number_and_the_text_with_its_token(gateway):
    url, handler = gateway
    gateway_client(url).send("+85512345678", "", "សាលា")
    assert handler.received == [{"body": {"to": "+85512345678", "text": "សាលា"}, "auth": "Bearer t0ken"}]


def test_a_slow_gateway_is_given_up_after_its_timeout_and_tries(gateway):
    url, handler = gateway
    handler.delay = 1.0
    started = time.monotonic()
    with pytest.raises(DeliveryFailed, match="failed 3 times"):
        gateway_client(url).send("+85512345678", "", "text")
    assert time.monotonic() - started < 3 and len(handler.received) == 3


def test_a_gateway_that_is_down_fails_after_its_tries():
    with pytest.raises(DeliveryFailed, match="failed 3 times"):
        gateway_client(f"http://127.0.0.1:{free_port()}/send").send("+85512345678", "", "text")


@pytest.mark.parametrize("answer", [b"<html>Service unavailable</html>", b'{"ok": true}', b"[1, 2]"])
def test_a_gateway_answering_garbage_fails_the_delivery(gateway, answer):
    url, handler = gateway
    handler.answer = answer
    with pytest.raises(DeliveryFailed):
        gateway_client(url).send("+85512345678", "", "text")


def test_a_gateway_that_refuses_the_number_is_not_asked_again(gateway):
    url, handler = gateway
    handler.status = 400
    with pytest.raises(DeliveryFailed, match="refused"):
        gateway_client(url).send("+85512345678", "", "text")
    assert len(handler.received) == 1


def test_a_failing_gateway_fails_only_the_delivery_job_which_is_retried_then_listed(session, process_engine):
    save_preferences(session, user=user(session, "ssdm.ac"), choices=Choices("", "+85512345678", False, True))
    open_case(session, process_engine)  # the step itself succeeds: the message only waits in the queue
    (message,) = session.scalars(select(OutboundMessage)).all()
    down = build_channels(ChannelConfig(sms_url=f"http://127.0.0.1:{free_port()}/send", sms_tries=1))
    context = WorkerContext("tests", resources={"notification_channels": down})
    statuses = []
    for _attempt in range(3):
        job = _take_delivery(session)
        run_job(session, job, HANDLERS, context)
        statuses.append(job.status)
    assert statuses == [QUEUED, QUEUED, FAILED]
    assert "DeliveryFailed" in job.last_error and message.status == MESSAGE_QUEUED


def test_a_gateway_back_up_sends_the_message_on_the_next_try(session, process_engine, gateway):
    url, handler = gateway
    save_preferences(session, user=user(session, "ssdm.ac"), choices=Choices("", "+85512345678", False, True))
    open_case(session, process_engine)
    context = WorkerContext(
        "tests", resources={"notification_channels": build_channels(ChannelConfig(sms_url=url))}
    )
    run_job(session, _take_delivery(session), HANDLERS, context)
    (message,) = session.scalars(select(OutboundMessage)).all()
    assert (message.status, message.gateway) == (SENT, "http")
    assert handler.received[0]["body"]["to"] == "+85512345678"


def _take_delivery(session) -> Job:
    from datetime import datetime, timedelta

    job = take_job(session, worker_id="tests", now=datetime.now() + timedelta(days=30))
    while job is not None and job.kind != DELIVERY_JOB:
        run_job(session, job, HANDLERS, WorkerContext("tests"))
        job = take_job(session, worker_id="tests", now=datetime.now() + timedelta(days=30))
    assert job is not None
    return job
