"""Letters as HTML and laid-out pages: the right content per letter and language, Khmer that wraps at word
boundaries inside the margins, and odd input that renders without overflow or error."""

import re
import unicodedata

import pytest
import segno
from weasyprint.formatting_structure.boxes import LineBox, TextBox

from tests.letters_support import FIELDS, REFERENCE, letter, make_renderer
from webapp.letters.khmer import WJ, ZWSP, break_points

LONG_KHMER = (
    "ការិយាល័យច្រកចេញចូលតែមួយបានពិនិត្យពាក្យស្នើសុំរបស់អ្នកដោយយកចិត្តទុកដាក់ ហើយបានរកឃើញថា"
    "គ្រួសាររបស់អ្នកមិនទាន់មានប័ណ្ណសមធម៌ដែលនៅមានសុពលភាពនៅឡើយទេ ដូច្នេះពាក្យស្នើសុំនេះមិនអាចអនុម័តបានទេ"
) * 3


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return make_renderer(tmp_path_factory.mktemp("locales"))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(ZWSP, "").replace(WJ, "")


def overflowing(document) -> list[str]:
    """Text boxes whose right edge passes their letter's column (or the page), with half a point of slack."""
    found = []
    for page in document.pages:
        page_box = page._page_box
        columns = [box for box in page_box.descendants() if getattr(box, "element_tag", "") == "article"]
        for column in columns or [page_box]:
            right = column.content_box_x() + column.width + 0.5
            found += [
                child.text
                for child in column.descendants()
                if isinstance(child, TextBox) and child.position_x + child.width > right
            ]
        assert columns, "no letter on this page"
    return found


def test_khmer_letter_has_the_official_layout_and_khmer_digits(renderer):
    html = renderer.html(letter("application_result"))
    text = text_of(html)
    for expected in (
        "ព្រះរាជាណាចក្រកម្ពុជា",
        "ជាតិ សាសនា ព្រះមហាក្សត្រ",
        "ខេត្តសៀមរាប",
        "ស្រុកអង្គរជុំ",
        "ឃុំចារឈូក",
        "ថ្ងៃសៅរ៍ ១២កើត ខែកត្ដិក ឆ្នាំមមី អដ្ឋស័ក ព.ស. ២៥៧០",
        "ថ្ងៃទី២១ ខែវិច្ឆិកា ឆ្នាំ២០២៦",
        "កម្មវត្ថុ៖",
        "LTR-១៧០១-២០២៦-០០០៤២",
        "៤០.០០០៛",
        "មេឃុំ",
    ):
        assert expected in text, expected
    assert text.index("ថ្ងៃសៅរ៍ ១២កើត") < text.index("ថ្ងៃទី២១ ខែវិច្ឆិកា")  # lunar line above the solar
    # the number once on the page, and in the running header that only pages after the first show
    assert text.count("LTR-១៧០១-២០២៦-០០០៤២") == 2
    assert REFERENCE in text  # inside the verification address under the QR code


def test_english_letter_says_what_and_from_when(renderer):
    text = text_of(renderer.html(letter("application_result", "en")))
    assert "Your application is approved" in text
    assert "KHR 40,000 a month" in text
    assert "1 December 2026" in text
    assert "Char Chhuk Commune" in text and "Siem Reap Province" in text
    assert "ព.ស." not in text  # no lunar line in English


def test_rejection_gives_the_rule_the_reason_and_a_free_appeal(renderer):
    fields = FIELDS["application_result"] | {"outcome": "rejected", "reason": "Already receives it."}
    text = text_of(renderer.html(letter("application_result", "en", fields=fields)))
    assert "is not approved" in text
    assert "Equity card household; the applicant is 60 or older." in text
    assert "Already receives it." in text
    assert "appeal within 30 days" in text and "free of charge" in text


def test_both_languages_khmer_then_english_each_from_a_new_page(renderer):
    html = renderer.html(letter("grievance_decision", "both"))
    assert html.count('<article class="letter"') == 2
    assert html.index('lang="km" data-letter') < html.index('lang="en" data-letter')
    document = renderer.document(html)
    assert len(document.pages) == 2
    assert overflowing(document) == []


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_every_letter_renders_in_khmer_on_one_page_inside_the_margins(renderer, key):
    document = renderer.document(renderer.html(letter(key)))
    assert len(document.pages) == 1
    assert overflowing(document) == []


def test_membership_card_is_card_sized_and_ten_fit_an_a4_sheet(renderer):
    card = renderer.document(renderer.html(letter("membership_card")))
    width_mm = card.pages[0].width * 25.4 / 96
    assert round(width_mm, 1) == 85.6
    sheet = renderer.document(renderer.html_many([letter("membership_card")] * 10, sheet=True))
    assert len(sheet.pages) == 1
    assert round(sheet.pages[0].width * 25.4 / 96) == 210


def test_membership_card_prints_the_spid_when_the_registration_gives_one(renderer):
    with_spid = text_of(renderer.html(letter("membership_card", "en")))
    assert "SPID: 1700 0000 0012" in with_spid
    khmer = text_of(renderer.html(letter("membership_card", "km")))
    assert "១៧០០ ០០០០ ០០១២" in khmer


def test_membership_card_without_a_spid_or_programme_renders_without_those_lines(renderer):
    fields = {"member_since": FIELDS["membership_card"]["member_since"]}
    html = renderer.html(letter("membership_card", "en", fields=fields))
    assert "SPID" not in text_of(html)
    assert "Programme" not in text_of(html)
    assert "Member since" in text_of(html)
    assert len(renderer.document(html).pages) == 1


def test_qr_code_encodes_the_verification_address(renderer):
    data = letter("application_received")
    html = renderer.html(data)
    expected = segno.make(data.verify_url, error="m").svg_inline(scale=1, border=2, omitsize=True)
    assert expected in html
    assert f'href="{data.verify_url}"' in html


COLUMN = '<html><body><div style="width: 40mm">{}</div></body></html>'


def past_the_column(document) -> list[str]:
    """Text boxes that pass the right edge of the 40 mm column."""
    page = document.pages[0]._page_box
    limit = page.content_box_x() + 40 * 96 / 25.4 + 0.5
    return [
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox) and box.position_x + box.width > limit
    ]


def test_long_khmer_paragraph_in_a_narrow_column_wraps_at_word_boundaries(renderer):
    broken = break_points(LONG_KHMER)
    document = renderer.document(COLUMN.format(broken))
    assert past_the_column(document) == []
    lines = [
        re.sub(f"[{ZWSP} ]", "", "".join(box.text for box in line.descendants() if isinstance(box, TextBox)))
        for page in document.pages
        for line in page._page_box.descendants()
        if isinstance(line, LineBox)
    ]
    assert len(lines) > 10
    word_ends, position = set(), 0
    for word in re.split(f"[{ZWSP} ]", broken):
        position += len(word)
        word_ends.add(position)
    position = 0
    for line in lines:
        position += len(line)
        assert position in word_ends, line  # every line ends with a whole word
    assert "".join(lines) == re.sub(f"[{ZWSP} ]", "", broken)


def test_without_break_points_the_same_paragraph_overflows(renderer):
    """The control: Pango alone does not break Khmer, which is why Sala inserts U+200B."""
    assert past_the_column(renderer.document(COLUMN.format(LONG_KHMER))) != []


@pytest.mark.parametrize(
    "name",
    [
        "Sok ស្រីមុំ Sreymom សុខ",  # Latin and Khmer mixed
        unicodedata.normalize("NFD", "Lê Thị Ánh សុខ"),  # decomposed vowels
        "សុខ\u200b\u200b\ufeffស្រី\u2060មុំ\u200d",  # zero-width characters
        "Sreymomsreymomsreymomsreymomsreymomsreymomsreymomsreymomsreymomsreymomsreymom",  # very long
        "សុខស្រីមុំ" * 12,
    ],
)
def test_unusual_names_render_inside_the_margins(renderer, name):
    from webapp.letters import Recipient

    data = letter("application_result", "both", recipient=Recipient(name, name, ()))
    document = renderer.document(renderer.html(data))
    assert overflowing(document) == []


def test_missing_optional_fields_and_a_huge_justification_render(renderer):
    fields = {
        "outcome": "rejected",
        "programme": "Family Package: elderly people",
        "rule": None,
        "reason": LONG_KHMER * 8,
        "benefit_start": None,
        "amount_khr": None,
        "appeal_days": 30,
    }
    data = letter("application_result", fields=fields, signer_name="", corrects="")
    document = renderer.document(renderer.html(data))
    assert len(document.pages) >= 2  # a long reason flows onto a second page instead of overflowing
    assert overflowing(document) == []
    approved = FIELDS["application_result"] | {"amount_khr": None, "benefit_start": None, "reason": ""}
    text = text_of(renderer.html(letter("application_result", "en", fields=approved)))
    assert "a month" not in text and "From" not in text


def test_template_version_changes_with_the_template(renderer):
    versions = {key: renderer.template_version(key) for key in FIELDS}
    assert len(set(versions.values())) == len(FIELDS)
    assert all(len(value) == 64 for value in versions.values())
    assert renderer.keys() == sorted(FIELDS)
