"""The ways out of Sala: an SMTP server for e-mail, and an SMS or Telegram gateway behind one small adapter.

Without a configured server each channel falls back to the demo outbox, which only logs: the message row
stays in the outbound table with the gateway "demo", so a demo or a test sees what would have gone out.
"""

import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A gateway or mail server refused or did not answer; the delivery job is tried again later."""


@dataclass(frozen=True)
class ChannelConfig:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "sala@localhost"
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    sms_url: str | None = None  # the gateway's endpoint: POST {"to", "text"}, answers {"id": ...}
    sms_token: str | None = None  # sent as a bearer token
    sms_timeout: float = 5.0  # seconds to connect and to read the answer, per try
    sms_tries: int = 3
    sms_pause: float = 1.0  # seconds before the second try, doubled before each next one
    public_url: str = "http://127.0.0.1:5000"  # where links in e-mails point


class Sender(Protocol):
    name: str

    def send(self, address: str, subject: str, body: str) -> None: ...


class DemoOutbox:
    """The stand-in when no server is configured: logs the message; its row in the table is the record."""

    def __init__(self, channel: str) -> None:
        self.name = "demo"
        self.channel = channel

    def send(self, address: str, subject: str, body: str) -> None:
        log.info("event=demo_outbox channel=%s to=%s length=%d", self.channel, address, len(body))


class SmtpMailer:
    def __init__(self, config: ChannelConfig) -> None:
        self.name = "smtp"
        self.config = config

    def send(self, address: str, subject: str, body: str) -> None:
        config = self.config
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = config.smtp_from, address, subject
        message.set_content(body)
        try:
            with smtplib.SMTP(str(config.smtp_host), config.smtp_port, timeout=config.smtp_timeout) as smtp:
                if config.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if config.smtp_user:
                    smtp.login(config.smtp_user, config.smtp_password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"SMTP {config.smtp_host}:{config.smtp_port}: {error}") from error


class HttpGateway:
    """An SMS or Telegram gateway over HTTP: a few quick tries with a pause, each bounded by a timeout."""

    def __init__(self, config: ChannelConfig, sleep: Callable[[float], None] = time.sleep) -> None:
        self.name = "http"
        self.config = config
        self.sleep = sleep

    def send(self, address: str, subject: str, body: str) -> None:
        problem = ""
        for attempt in range(max(1, self.config.sms_tries)):
            if attempt:
                self.sleep(self.config.sms_pause * 2 ** (attempt - 1))
            try:
                self._post(address, body)
                return
            except _Refused as refused:  # the gateway understood and said no: trying again changes nothing
                raise DeliveryFailed(f"gateway refused the message: {refused}") from refused
            except (OSError, ValueError) as error:  # down, slow, or an answer that is not the gateway's
                problem = f"{type(error).__name__}: {error}"
        raise DeliveryFailed(f"gateway {self.config.sms_url} failed {self.config.sms_tries} times: {problem}")

    def _post(self, address: str, body: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting, http(s) only
            str(self.config.sms_url),
            data=json.dumps({"to": address, "text": body}, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", **self._authorization()},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.sms_timeout) as response:  # noqa: S310
                answer = response.read(65536)
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise _Refused(f"HTTP {error.code}") from error
            raise OSError(f"HTTP {error.code}") from error
        parsed = json.loads(answer.decode("utf-8"))
        if not isinstance(parsed, dict) or not parsed.get("id"):
            raise ValueError(f"unexpected answer {answer[:80]!r}")

    def _authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.sms_token}"} if self.config.sms_token else {}


class _Refused(Exception):
    pass


@dataclass(frozen=True)
class Channels:
    email: Sender
    sms: Sender
    public_url: str


def build_channels(config: ChannelConfig) -> Channels:
    if config.sms_url and not config.sms_url.startswith(("http://", "https://")):
        raise ValueError("The SMS gateway's URL must start with http:// or https://")
    return Channels(
        email=SmtpMailer(config) if config.smtp_host else DemoOutbox("email"),
        sms=HttpGateway(config) if config.sms_url else DemoOutbox("sms"),
        public_url=config.public_url.rstrip("/"),
    )


_CONFIG: list[ChannelConfig] = [ChannelConfig()]


def configure_channels(config: ChannelConfig) -> None:
    """Set once when the app is created (from the settings); the worker's delivery job reads it."""
    _CONFIG[0] = config


def configured_channels() -> Channels:
    return build_channels(_CONFIG[0])
