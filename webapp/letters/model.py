"""What a letter template receives: plain frozen values, so the worker and benchmarks need no database."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from webapp.domain.areas import Area
from webapp.domain.messages import N_

LANGUAGES = ("km", "en", "both")
# English words for the gazetteer's unit types, as official English texts write them; the gazetteer's own
# English (Quarter, Section) is not what a Cambodian office writes. Sangkat and Khan come before the name.
UNIT_EN = {
    "ភូមិ": "Village",
    "ឃុំ": "Commune",
    "សង្កាត់": "Sangkat",
    "ស្រុក": "District",
    "ក្រុង": "Municipality",
    "ខណ្ឌ": "Khan",
    "ខេត្ត": "Province",
    "រាជធានី": "Capital",
}
UNIT_BEFORE_NAME = frozenset({"សង្កាត់", "ខណ្ឌ"})
# Who signs for an office, by the unit type of its area (English message ids).
SIGNERS = {
    "ឃុំ": N_("Chief of the commune"),
    "សង្កាត់": N_("Chief of the sangkat"),
    "ស្រុក": N_("District governor"),
    "ក្រុង": N_("Municipal governor"),
    "ខណ្ឌ": N_("Khan governor"),
    "ខេត្ត": N_("Provincial governor"),
    "រាជធានី": N_("Governor of the capital"),
}


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
        """ឃុំចារឈូក, Char Chhuk Commune; Sangkat Boeng Reang, Khan Daun Penh, Phnom Penh Capital."""
        if locale == "km":
            return f"{self.unit_km}{self.name_km}"
        unit = UNIT_EN.get(self.unit_km, self.unit_en)
        if self.unit_km in UNIT_BEFORE_NAME:
            return f"{unit} {self.name_latin}"
        return f"{self.name_latin} {unit}"


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
    office_address: tuple[Place, ...] = ()  # where the office stands, smallest area first (none: not printed)
    office_contact: str = ""  # English message id: phone lines, web address
    # The head of the office's area signs (titled by its unit type); False: `signer_title` as given.
    signed_by_area_head: bool = True

    @property
    def signer(self) -> str:
        """The signer's title for the office's unit type (a sangkat's chief, a khan's governor), else the
        title the service gave."""
        if self.office and self.signed_by_area_head:
            return SIGNERS.get(self.office[-1].unit_km, self.signer_title)
        return self.signer_title

    @property
    def locales(self) -> tuple[str, ...]:
        return ("km", "en") if self.language == "both" else (self.language,)
