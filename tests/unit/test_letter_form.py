"""The official form of a letter: the Muol heading with its ornament, Khmer punctuation, the closing courtesy,
the reference once, and the signer's title and unit words from the gazetteer's unit types."""

import re
from dataclasses import replace

import pytest
from weasyprint.formatting_structure.boxes import TextBox

from tests.letters_support import OFFICE, letter, make_renderer
from tests.unit.test_letters_render import text_of
from webapp.letters import Place

PHNOM_PENH = (
    Place("12", "ភ្នំពេញ", "Phnom Penh", "រាជធានី", "Capital"),
    Place("1201", "ចំការមន", "Chamkar Mon", "ខណ្ឌ", "Section"),
    Place("120101", "ទន្លេបាសាក់", "Tonle Basak", "សង្កាត់", "Quarter"),
)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return make_renderer(tmp_path_factory.mktemp("locales"))


def test_kingdom_and_motto_are_set_in_the_muol_face_above_an_ornament(renderer):
    html = renderer.html(letter("grievance_decision"))
    assert '<svg class="ornament"' in html
    document = renderer.document(html)
    heading = [
        box
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, TextBox)
        and box.text.replace("\u200b", "").replace("\u2060", "")
        in ("ព្រះរាជាណាចក្រកម្ពុជា", "ជាតិ សាសនា ព្រះមហាក្សត្រ")
    ]
    assert len(heading) == 2
    assert all(box.style["font_family"][0] == "Sala Muol" for box in heading)


def test_khmer_labels_end_in_the_khmer_sign_not_a_latin_colon(renderer):
    for key in ("application_result", "application_received", "membership_card"):
        text = text_of(renderer.html(letter(key)))
        without_addresses = re.sub(r"https?://\S+", "", text)
        assert ":" not in without_addresses, key
        assert "៖" in text
    assert "Subject:" in text_of(renderer.html(letter("application_result", "en")))


def test_the_letter_closes_with_the_courtesy_formula_before_the_signature(renderer):
    km = text_of(renderer.html(letter("grievance_decision")))
    assert km.index("ទទួលនូវការគោរព") < km.index("មេឃុំ", km.index("ទទួលនូវការគោរព") - 10)
    assert "Please accept our sincere regards." in text_of(renderer.html(letter("grievance_decision", "en")))


def test_the_reference_appears_once_in_khmer_digits_on_a_one_page_letter(renderer):
    document = renderer.document(renderer.html(letter("application_received")))
    assert len(document.pages) == 1
    printed = "".join(
        box.text for box in document.pages[0]._page_box.descendants() if isinstance(box, TextBox)
    ).replace("\u200b", "")
    assert printed.count("LTR-១៧០១-២០២៦-០០០៤២") == 1
    assert printed.count("LTR-1701-2026-00042") == 1  # only inside the verification address


@pytest.mark.parametrize(
    ("office", "km", "en"),
    [
        (OFFICE, "មេឃុំ", "Chief of the commune"),
        (PHNOM_PENH, "ចៅសង្កាត់", "Chief of the sangkat"),
        (PHNOM_PENH[:2], "អភិបាលខណ្ឌ", "Khan governor"),
        (
            (OFFICE[0], replace(OFFICE[1], unit_km="ក្រុង", unit_en="Municipality")),
            "អភិបាលក្រុង",
            "Municipal governor",
        ),
        (OFFICE[:2], "អភិបាលស្រុក", "District governor"),
    ],
)
def test_the_signer_title_follows_the_unit_type_of_the_office(renderer, office, km, en):
    data = letter("grievance_decision", "both", office=office)
    text = text_of(renderer.html(data))
    assert km in text and en in text


def test_unit_words_come_from_the_unit_type(renderer):
    data = letter("grievance_decision", "both", office=PHNOM_PENH)
    text = text_of(renderer.html(data))
    assert "រាជធានីភ្នំពេញ" in text and "ខណ្ឌចំការមន" in text and "សង្កាត់ទន្លេបាសាក់" in text
    assert "Phnom Penh Capital" in text and "Khan Chamkar Mon" in text and "Sangkat Tonle Basak" in text
