"""Letters in tests: a renderer over the catalogs compiled afresh from locales/*.po, and sample letters."""

from datetime import date
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from webapp.letters import LetterData, LetterRenderer, Place, Recipient

ROOT = Path(__file__).resolve().parent.parent
OFFICE = (
    Place("17", "សៀមរាប", "Siem Reap", "ខេត្ត", "Province"),
    Place("1701", "អង្គរជុំ", "Angkor Chum", "ស្រុក", "District"),
    Place("170101", "ចារឈូក", "Char Chhuk", "ឃុំ", "Commune"),
)
VILLAGE = Place("17010101", "ប្រាសាទ", "Prasat", "ភូមិ", "Village")
# The NSSF branch of Siem Reap: province above its name, its seat and hotlines under it, its chief signing.
NSSF_HEAD = {
    "office": (OFFICE[0],),
    "office_name": "National Social Security Fund, provincial branch",
    "office_address": (Place("1710", "សៀមរាប", "Siem Reap", "ក្រុង", "Municipality"), OFFICE[0]),
    "office_contact": "NSSF hotlines: 1286 and 1297 · www.nssf.gov.kh",
    "signer_title": "NSSF provincial chief",
    "signer_name": "ទេព សុភា",
    "signed_by_area_head": False,
}
ENTERPRISE = Recipient("សហគ្រាសសូត្រអង្គរ", "Angkor Silk Garments", ())
ENTERPRISE_ADDRESS = [VILLAGE, *reversed(OFFICE)]
ISSUED_ON = date(2026, 11, 21)
REFERENCE = "LTR-1701-2026-00042"


def merged_locales(target: Path) -> Path:
    """locales/ compiled into `target`, so a test never depends on a stale compiled catalog."""
    for locale in ("km", "en"):
        with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalog = read_po(po, locale=locale)
        out = target / locale / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        with (out / "messages.mo").open("wb") as mo:
            write_mo(mo, catalog)
    return target


def make_renderer(tmp: Path) -> LetterRenderer:
    return LetterRenderer(ROOT / "letters", merged_locales(tmp))


FIELDS = {
    "application_received": {
        "programme": "Family Package: elderly people",
        "received_on": date(2026, 11, 20),
        "documents": 2,
    },
    "application_result": {
        "outcome": "approved",
        "programme": "Family Package: elderly people",
        "rule": "Equity card household; the applicant is 60 or older.",
        "reason": "អ្នកដាក់ពាក្យមានអាយុលើស ៦០ ឆ្នាំ និងមានប័ណ្ណសមធម៌។",
        "benefit_start": date(2026, 12, 1),
        "amount_khr": 40000,
        "appeal_days": 30,
    },
    "membership_card": {
        "programme": "Family Package: elderly people",
        "member_since": date(2026, 11, 21),
        "spid": "1700 0000 0012",
    },
    "grievance_acknowledgement": {
        "received_on": date(2026, 11, 20),
        "summary": "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែតុលាទេ។",
        "respond_by": date(2026, 12, 4),
    },
    "grievance_decision": {
        "upheld": True,
        "reason": "ការទូទាត់សម្រាប់ខែតុលាត្រូវបានពន្យារពេល ហើយនឹងត្រូវបង់រួមជាមួយខែវិច្ឆិកា។",
        "appeal_days": 30,
    },
    "nssf_compliance_notice": {
        "finding": "Contributions paid late",
        "details": "ការបង់ភាគទានសម្រាប់ខែកញ្ញា និងខែតុលា យឺតជាង ១៥ ថ្ងៃ។",
        "notice_days": 15,
        "found_on": date(2026, 11, 18),
        "employer_number": "EMP-17-2026-000031",
        "registration_number": "00012345",
        "address": ENTERPRISE_ADDRESS,
    },
    "nssf_documents_request": {
        "documents": "Patent tax certificate; list of workers",
        "asked_on": date(2026, 11, 20),
        "address": ENTERPRISE_ADDRESS,
    },
    "nssf_fine_decision": {
        "finding": "Not registered with NSSF",
        "fine_khr": 2000000,
        "waiver_reason": "",
        "decided_on": date(2026, 11, 20),
        "employer_number": "EMP-17-2026-000031",
        "registration_number": "00012345",
        "address": ENTERPRISE_ADDRESS,
    },
    "nssf_member_card": {
        "member_number": "MBR-17-2026-000108",
        "member_since": date(2026, 11, 21),
        "schemes": ["Occupational risk", "Health care"],
        "employer": "Angkor Silk Garments",
        "employer_km": "សូត្រអង្គរ",
    },
    "nssf_registration_certificate": {
        "employer_number": "EMP-17-2026-000031",
        "registered_on": date(2026, 11, 20),
        "legal_form": "Private limited company",
        "activity": "Garment, footwear and travel goods",
        "address": ENTERPRISE_ADDRESS,
        "registration_number": "00012345",
    },
    "nssf_waiver_decision": {
        "finding": "Contributions paid late",
        "fine_khr": 0,
        "waiver_reason": "Force majeure (flood, fire, epidemic)",
        "decided_on": date(2026, 11, 20),
        "employer_number": "EMP-17-2026-000031",
        "registration_number": "00012345",
        "address": ENTERPRISE_ADDRESS,
    },
    "escalation_notice": {
        "to_office": OFFICE[1],
        "reason": "ឃុំមិនអាចដោះស្រាយបានក្នុងរយៈពេលកំណត់។",
    },
}


def letter(key: str, language: str = "km", **changes: object) -> LetterData:
    values: dict[str, object] = {
        "key": key,
        "reference": REFERENCE,
        "issued_on": ISSUED_ON,
        "language": language,
        "office": OFFICE,
        "office_name": "One-stop service office for social protection",
        "signer_title": "Chief of the commune",
        "recipient": Recipient("សុខ ស្រីមុំ", "Sok Sreymom", (VILLAGE, *reversed(OFFICE))),
        "verify_url": f"https://sala.example.gov.kh/verify/{REFERENCE}",
        "case_reference": "APP-1701-2026-00007",
        "fields": FIELDS[key],
    }
    if key.startswith("nssf_"):
        values.update(NSSF_HEAD)
        if key != "nssf_member_card":  # a card names its member; the other letters go to the employer
            values["recipient"] = ENTERPRISE
    values.update(changes)
    return LetterData(**values)  # type: ignore[arg-type]
