"""No letter loses a line: every text of a letter's model is found in WeasyPrint's laid-out boxes, on pages
that hold it, for every letter in every language, with a reason and a name long enough to need more pages.

The text is read from the layout (the text boxes of each page, the running header left out), not from the
PDF, because WeasyPrint's PDFs do not give Khmer text back on extraction."""

import re
import unicodedata

import pytest
from babel.support import Translations
from weasyprint.formatting_structure.boxes import MarginBox, TextBox

from tests.letters_support import FIELDS, OFFICE, VILLAGE, letter, make_renderer
from webapp.letters import LetterData, Recipient
from webapp.letters.khmer import digits
from webapp.letters.render import CARD_KEYS

LANGUAGES = ("km", "en", "both")
LONG_REASON = (
    "ការិយាល័យច្រកចេញចូលតែមួយបានពិនិត្យពាក្យស្នើសុំរបស់អ្នកដោយយកចិត្តទុកដាក់ ហើយបានរកឃើញថា"
    "គ្រួសាររបស់អ្នកមិនទាន់មានប័ណ្ណសមធម៌ដែលនៅមានសុពលភាពនៅឡើយទេ សម្រាប់ខែកញ្ញានិងខែតុលា។ "
    "The household has no valid equity card yet for September and October. "
) * 14
LONG_NAME_KM = "នរោត្តម សីហមុនីវរ្ម័ន " * 6 + "សុខ ស្រីមុំ"
LONG_NAME_LATIN = "Norodom Sihamonivarman " * 6 + "Sok Sreymom"
CARD_NAME_KM, CARD_NAME_LATIN = "នរោត្តម សីហមុនីវរ្ម័ន សុខ ស្រីមុំ", "Norodom Sihamonivarman Sok Sreymom"
INVISIBLE = re.compile(r"[\s\u200b\u2060\u00ad]+")
CASES = [(key, language) for key in sorted(FIELDS) for language in LANGUAGES]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return make_renderer(tmp_path_factory.mktemp("locales"))


def squeeze(text: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def long_letter(key: str, language: str) -> LetterData:
    fields = dict(FIELDS[key])
    for name in ("reason", "summary"):
        if name in fields:
            fields[name] = LONG_REASON
    card, repeat = key in CARD_KEYS, 1 if {"reason", "summary"} & set(fields) else 12
    recipient = Recipient(
        CARD_NAME_KM if card else " ".join([LONG_NAME_KM] * repeat),
        CARD_NAME_LATIN if card else " ".join([LONG_NAME_LATIN] * repeat),
        (VILLAGE, *reversed(OFFICE)),
    )
    return letter(key, language, fields=fields, recipient=recipient, signer_name=LONG_NAME_KM)


def expected_texts(renderer, data: LetterData, locale: str) -> list[str]:
    """What a reader must find in the letter in `locale`: names, places, numbers, reasons, and the parts
    of the official form that come last (courtesy, signer), which a clipped page loses first."""
    translations = Translations.load(str(renderer.locales_dir), [locale], "messages")
    num = digits if locale == "km" else str
    if data.key in CARD_KEYS:
        # an NSSF card is known by its member number; an SSDM card by the letter's, after the village
        if "member_number" in data.fields:
            return [data.recipient.name_km, data.recipient.name_latin, num(data.fields["member_number"])]
        return [
            data.recipient.name_km,
            data.recipient.name_latin,
            data.recipient.places[0].label(locale),
            num(data.reference),  # printed last on a card
        ]
    texts = [
        data.recipient.name(locale),
        *(place.label(locale) for place in (*data.office, *data.office_address, *data.recipient.places)),
        num(data.reference),
        num(data.case_reference),
        translations.gettext(data.office_name),
        *(translations.gettext(contact) for contact in (data.office_contact,) if contact),
        translations.gettext("Please accept our sincere regards."),
        translations.gettext(data.signer),
        data.signer_name,
    ]
    texts += [value for name, value in data.fields.items() if name in ("reason", "summary", "status_code")]
    return [*texts, data.verify_url]  # printed last on a letter


def page_texts(document) -> tuple[str, list[str]]:
    """The letters' text in layout order, without the running headers; and any text box that lies outside
    its page, which a printer would not print."""
    text, outside = [], []
    for page in document.pages:
        for child in page._page_box.children:
            if isinstance(child, MarginBox):
                continue
            for box in child.descendants():
                if not isinstance(box, TextBox):
                    continue
                text.append(box.text)
                if box.position_y + box.height > page.height + 0.5 or box.position_x + box.width > page.width:
                    outside.append(box.text)
    return squeeze("".join(text)), outside


@pytest.mark.parametrize(("key", "language"), CASES, ids=[f"{k}-{lang}" for k, lang in CASES])
def test_every_text_of_the_letter_is_on_its_pages(renderer, key, language):
    data = long_letter(key, language)
    document = renderer.document(renderer.html(data))
    text, outside = page_texts(document)
    if key not in CARD_KEYS:
        assert len(document.pages) >= 2 * len(data.locales)  # the long reason needs a second page
    assert outside == []
    position = 0
    for locale in data.locales:
        expected = [squeeze(t) for t in expected_texts(renderer, data, locale)]
        for part in expected:
            assert part in text[position:], f"{locale}: {part[:60]}"
        # in "both", the English letter follows the whole Khmer one: look for it after the Khmer one's end
        position = text.index(expected[-1], position) + len(expected[-1])


def test_the_reference_is_printed_once_per_letter_page_one(renderer):
    document = renderer.document(renderer.html(letter("application_result", "km")))
    text, _ = page_texts(document)
    assert text.count(squeeze(digits(letter("application_result").reference))) == 1


def test_pages_after_the_first_carry_the_number_and_page_of_pages(renderer):
    data = long_letter("grievance_decision", "km")
    document = renderer.document(renderer.html(data))
    headers = []
    for page in document.pages:
        margins = [c for c in page._page_box.children if isinstance(c, MarginBox)]
        headers.append(
            squeeze("".join(b.text for m in margins for b in m.descendants() if isinstance(b, TextBox)))
        )
    count = digits(len(document.pages))
    assert headers[0] == ""
    for number, header in enumerate(headers[1:], start=2):
        assert digits(data.reference) in header
        assert f"ទំព័រ{digits(number)}/{count}" in header


def test_each_letter_of_a_batch_counts_its_own_pages(renderer):
    letters = [long_letter("grievance_decision", "en"), letter("grievance_decision", "en")]
    document = renderer.document(renderer.html_many(letters))
    headers = [
        squeeze(
            "".join(
                b.text
                for m in p._page_box.children
                if isinstance(m, MarginBox)
                for b in m.descendants()
                if isinstance(b, TextBox)
            )
        )
        for p in document.pages
    ]
    first = len(document.pages) - 1
    assert headers[first] == ""  # the short letter starts on a page of its own, with no running header
    assert all(h.endswith(f"/{first}") for h in headers[1:first])
