"""The external systems NSSF registration checks against (the business registry and the national ID check),
each behind one small interface with a local fake and an HTTP client, chosen once from the settings."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class ServiceUnavailable(Exception):
    """The real service timed out, was down or answered nonsense: an officer checks by hand."""


@dataclass(frozen=True)
class RegisteredEnterprise:
    registration_number: str
    name_km: str
    name_latin: str
    source: str  # obr or district_office: where the business registry knows it from
    registered_on: date
    province_code: str
    legal_form: str
    activity: str


@dataclass(frozen=True)
class IdentityRecord:
    id_number: str
    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date


class BusinessRegistry(Protocol):
    def lookup(self, registration_number: str) -> RegisteredEnterprise | None:
        """The enterprise the registry holds under this number, or None; ServiceUnavailable on failure."""
        ...


class NationalIdCheck(Protocol):
    def lookup(self, id_number: str) -> IdentityRecord | None:
        """The card holder of this national ID number, or None; ServiceUnavailable on failure."""
        ...


@dataclass(frozen=True)
class AdapterSettings:
    business_registry_url: str | None = None  # None: the local fake
    national_id_url: str | None = None
    timeout_seconds: float = 3.0
    attempts: int = 2


_CONFIGURED: dict[str, AdapterSettings] = {"current": AdapterSettings()}


def configure(settings: AdapterSettings) -> None:
    """Called once by create_app: real services by URL when the settings name them, else the local fakes."""
    _CONFIGURED["current"] = settings


def business_registry() -> BusinessRegistry:
    from webapp.services.nssf.adapters.fake import fake_business_registry
    from webapp.services.nssf.adapters.http import HttpBusinessRegistry

    settings = _CONFIGURED["current"]
    if settings.business_registry_url:
        return HttpBusinessRegistry(
            settings.business_registry_url, settings.timeout_seconds, settings.attempts
        )
    return fake_business_registry()


def national_id_check() -> NationalIdCheck:
    from webapp.services.nssf.adapters.fake import fake_national_id
    from webapp.services.nssf.adapters.http import HttpNationalIdCheck

    settings = _CONFIGURED["current"]
    if settings.national_id_url:
        return HttpNationalIdCheck(settings.national_id_url, settings.timeout_seconds, settings.attempts)
    return fake_national_id()
