"""HTTP clients for the real business registry and national ID check (through CamDX): a bounded timeout, a
few attempts, and every failure (timeout, refused connection, server error, unreadable answer) turned into
ServiceUnavailable, which the process routes to an officer's manual check."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from webapp.services.nssf.adapters import IdentityRecord, RegisteredEnterprise, ServiceUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BODY = 64 * 1024  # an answer about one enterprise or person is small; more is not an answer


class _JsonClient:
    def __init__(self, base_url: str, timeout: float, attempts: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = max(1, attempts)

    def get(self, path: str, key: str, parse: Callable[[Mapping[str, Any]], T]) -> T | None:
        """GET base/path/key: the parsed record, None on 404, ServiceUnavailable after the last attempt."""
        url = f"{self.base_url}/{path}/{urllib.parse.quote(key, safe='')}"
        failure = ""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._fetch(url, parse)
            except _NotFound:
                return None
            except (OSError, ValueError, KeyError, TypeError) as error:  # timeouts are OSErrors too
                failure = f"{type(error).__name__}: {error}"
                log.warning("%s answered badly (attempt %d of %d): %s", url, attempt, self.attempts, failure)
        raise ServiceUnavailable(failure)

    def _fetch(self, url: str, parse: Callable[[Mapping[str, Any]], T]) -> T:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - the configured https/http URL
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_BODY + 1)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise _NotFound from error
            raise
        if len(body) > MAX_BODY:
            raise ValueError("answer too long")
        document = json.loads(body.decode("utf-8"))
        if not isinstance(document, dict):
            raise ValueError("answer is not an object")
        return parse(document)


class _NotFound(Exception):
    pass


def _text(document: Mapping[str, Any], key: str) -> str:
    value = document[key]
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ValueError(f"bad {key}")
    return value.strip()


def _enterprise(document: Mapping[str, Any]) -> RegisteredEnterprise:
    return RegisteredEnterprise(
        registration_number=_text(document, "registration_number"),
        name_km=_text(document, "name_km"),
        name_latin=_text(document, "name_latin"),
        source=_text(document, "source"),
        registered_on=date.fromisoformat(_text(document, "registered_on")),
        province_code=_text(document, "province_code")[:2],
        legal_form=_text(document, "legal_form"),
        activity=_text(document, "activity"),
    )


def _identity(document: Mapping[str, Any]) -> IdentityRecord:
    return IdentityRecord(
        id_number=_text(document, "id_number"),
        name_km=_text(document, "name_km"),
        name_latin=_text(document, "name_latin"),
        sex=_text(document, "sex"),
        date_of_birth=date.fromisoformat(_text(document, "date_of_birth")),
    )


class HttpBusinessRegistry:
    def __init__(self, base_url: str, timeout: float, attempts: int) -> None:
        self.client = _JsonClient(base_url, timeout, attempts)

    def lookup(self, registration_number: str) -> RegisteredEnterprise | None:
        return self.client.get("enterprises", registration_number.strip().upper(), _enterprise)


class HttpNationalIdCheck:
    def __init__(self, base_url: str, timeout: float, attempts: int) -> None:
        self.client = _JsonClient(base_url, timeout, attempts)

    def lookup(self, id_number: str) -> IdentityRecord | None:
        return self.client.get("people", id_number.strip(), _identity)
