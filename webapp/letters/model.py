"""What a letter template receives: plain frozen values, so the worker and benchmarks need no database."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from webapp.domain.areas import Area

LANGUAGES = ("km", "en", "both")


@dataclass(frozen=True)
class Place:
    """One administrative area with its unit word (ឃុំ or សង្កាត់, ស្រុក, ក្រុង or ខណ្ឌ, ខេត្ត or រាជធានី)."""

    code: str
    name_km: str
    name_latin: str
    unit_km: str
    unit_en: str

    @classmethod
    def of(cls, area: Area) -> "Place":
        return cls(area.code, area.name_km, area.name_latin, area.unit_km, area.unit_en)

    def label(self, locale: str) -> str:
        if locale == "km":
            return f"{self.unit_km}{self.name_km}"
        return f"{self.name_latin} {self.unit_en}"


@dataclass(frozen=True)
class Recipient:
    name_km: str
    name_latin: str
    places: tuple[Place, ...] = ()  # village first, up to the province

    def name(self, locale: str) -> str:
        return (self.name_km or self.name_latin) if locale == "km" else (self.name_latin or self.name_km)


@dataclass(frozen=True)
class LetterData:
    """One letter: who issues it, to whom, and the facts of its kind (`fields`, per template)."""

    key: str
    reference: str
    issued_on: date
    language: str
    office: tuple[Place, ...]  # the issuing office's area, province first
    office_name: str  # English message id, such as "One-stop shop"
    signer_title: str  # English message id
    recipient: Recipient
    verify_url: str
    case_reference: str = ""
    signer_name: str = ""
    corrects: str = ""  # the reference of the letter this one corrects
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def locales(self) -> tuple[str, ...]:
        return ("km", "en") if self.language == "both" else (self.language,)
