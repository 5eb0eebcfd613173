"""The NSSF letterhead on the rendered letter: the branch's header (province, NSSF's name, its seat and
hotlines) and its chief's title and name under the courtesy, in Khmer and in English; the one-stop letters
keep theirs."""

import re

import pytest

from tests.letters_support import OFFICE, letter, make_renderer

INVISIBLE = re.compile(r"[\s\u200b\u2060]+")
OFFICE_BLOCK = re.compile(r'<div class="office">(.*?)</div>', re.S)
SIGNATURE_BLOCK = re.compile(r'<div class="signature">(.*?)</div>\s*</div>', re.S)
NSSF_LETTERS = [
    "nssf_compliance_notice",
    "nssf_documents_request",
    "nssf_fine_decision",
    "nssf_registration_certificate",
    "nssf_waiver_decision",
]
EXPECTED = {
    "km": {
        "office": ["ខេត្តសៀមរាប", "បេឡាជាតិរបបសន្ដិសុខសង្គម សាខាខេត្ត", "ក្រុងសៀមរាប ខេត្តសៀមរាប", "១២៨៦ និង ១២៩៧"],
        "signature": ["ប្រធាន ប.ស.ស. ខេត្ត", "ទេព សុភា"],
    },
    "en": {
        "office": [
            "Siem Reap Province",
            "National Social Security Fund, provincial branch",
            "Siem Reap Municipality, Siem Reap Province",
            "NSSF hotlines: 1286 and 1297",
        ],
        "signature": ["NSSF provincial chief", "ទេព សុភា"],
    },
}


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return make_renderer(tmp_path_factory.mktemp("locales"))


def squeeze(text: str) -> str:
    return INVISIBLE.sub("", text)


def blocks(html: str) -> tuple[str, str]:
    office, signature = OFFICE_BLOCK.search(html), SIGNATURE_BLOCK.search(html)
    assert office is not None and signature is not None
    return squeeze(office.group(1)), squeeze(signature.group(1))


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("key", NSSF_LETTERS)
def test_an_nssf_letter_carries_the_branch_header_and_its_chief_signs(renderer, key, language):
    office, signature = blocks(renderer.html(letter(key, language)))
    for text in EXPECTED[language]["office"]:
        assert squeeze(text) in office
    for text in EXPECTED[language]["signature"]:
        assert squeeze(text) in signature


@pytest.mark.parametrize(("language", "governor"), [("km", "អភិបាលស្រុក"), ("en", "District governor")])
def test_an_nssf_letter_names_no_governor_even_when_its_office_is_a_district(renderer, language, governor):
    """The title is NSSF's as given, never the one the office's unit type would give an area's head."""
    data = letter("nssf_fine_decision", language, office=OFFICE[:2])  # Angkor Chum District last
    _office, signature = blocks(renderer.html(data))
    assert squeeze(governor) not in signature


@pytest.mark.parametrize(
    ("language", "office_name"), [("km", "ច្រកចេញចូលតែមួយ"), ("en", "One-stop service office")]
)
def test_a_one_stop_letter_keeps_its_office_and_prints_no_nssf_line(renderer, language, office_name):
    office, signature = blocks(renderer.html(letter("application_result", language)))
    assert squeeze(office_name) in office
    assert "1286" not in office and "១២៨៦" not in office and "NSSF" not in signature
