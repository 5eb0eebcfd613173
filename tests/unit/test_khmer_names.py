"""Names and numbers as the registry keeps them: look-alike Khmer spellings, romanisation variants, digits."""

import pytest

from webapp.domain.khmer_names import clean_name, id_number_key, khmer_key, latin_key, name_key
from webapp.domain.spid import format_spid, is_valid_spid, make_spid, parse_spid


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("សេចក្ដី", "សេចក្តី"),  # coeng DA and coeng TA
        ("ចន្ដា", "ចន្តា"),
        ("សោភា", "សេាភា"),  # ោ and េ + ា
        ("ទើប", "ទេីប"),  # ើ and េ + ី
        ("សុខ ស្រីមុំ", "សុខ\u200bស្រីមុំ"),  # zero-width space
        ("សុខ ស្រីមុំ", "សុខ\u200c ស្រី\u200dមុំ"),  # non-joiner and joiner
        ("ស្រីមុំ", "ស្រីមំុ"),  # ំ typed before ុ
        ("ស្ត្រី", "ស្រ្តី"),  # subscript RO typed first
        ("ឲ្យ", "ឱ្យ"),
        ("ល្អល្អ", "ល្អៗ"),  # the repetition sign
        ("\u202bសុខ\u202c", "សុខ"),  # bidirectional embedding
        ("សុខ  ដារ៉ា", " សុខ ដារ៉ា "),  # spaces
    ],
)
def test_look_alike_khmer_spellings_share_one_key(typed, other):
    assert khmer_key(typed) == khmer_key(other)


def test_different_khmer_names_keep_different_keys():
    assert khmer_key("សុខ") != khmer_key("សុក")
    assert khmer_key("ចាន់") != khmer_key("ចន្ទ")


def test_the_display_form_keeps_the_spelling_as_typed_without_invisible_characters():
    assert clean_name("សេចក្ដី\u200b ") == "សេចក្ដី"
    assert clean_name("សេចក្តី") == "សេចក្តី"  # coeng TA stays for display
    assert clean_name("Sok\u200e  Sreymom") == "Sok Sreymom"


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("Sokha", "Sokhaa"),
        ("Chan", "Chanh"),
        ("Srey Mom", "Srei Mom"),
        ("Ouk Bopha", "Uk Bopha"),
        ("Chea Dara", "Chia Darah"),
        ("Chhoeun", "Choeun"),
        ("Vannak", "Vanak"),
        ("Sok Sreymom", "SREYMOM sok"),  # case, and the family name last
        ("Sôk Sreÿmom", "Sok Sreymom"),  # accents
    ],
)
def test_romanisation_variants_share_one_key(typed, other):
    assert latin_key(typed) == latin_key(other)


def test_different_romanised_names_keep_different_keys():
    assert latin_key("Sok Dara") != latin_key("Sok Sophea")
    assert latin_key("Chan") != latin_key("Chen")


def test_name_key_picks_the_script_of_the_text():
    assert name_key("ស្រី") == khmer_key("ស្រី")
    assert name_key("Srey") == latin_key("Srei")


@pytest.mark.parametrize(
    "typed", ["០១០១២៣៤៥៦", "0101 234 56", "0101-23456", "01.01.23456", "０１０１２３４５６"]
)
def test_id_numbers_are_stored_in_one_form(typed):
    assert id_number_key(typed) == "010123456"


def test_a_passport_number_keeps_its_letters_in_capitals():
    assert id_number_key("n 0123 456") == "N0123456"


def test_a_spid_carries_its_province_and_a_check_digit():
    spid = make_spid("17", 42)
    assert spid.startswith("17") and len(spid) == 12 and is_valid_spid(spid)
    assert parse_spid(format_spid(spid)) == spid
    assert parse_spid("១៧" + format_spid(spid)[2:]) == spid  # Khmer digits


def test_a_spid_with_one_wrong_digit_or_two_swapped_digits_is_refused():
    spid = make_spid("17", 123456789)
    for position in range(12):
        wrong = spid[:position] + str((int(spid[position]) + 3) % 10) + spid[position + 1 :]
        assert not is_valid_spid(wrong), wrong
    for position in range(11):
        if spid[position] != spid[position + 1]:
            swapped = spid[:position] + spid[position + 1] + spid[position] + spid[position + 2 :]
            assert not is_valid_spid(swapped), swapped


def test_a_spid_is_made_only_of_a_province_and_a_positive_sequence():
    with pytest.raises(ValueError):
        make_spid("1", 1)
    with pytest.raises(ValueError):
        make_spid("17", 0)
    assert parse_spid("12345") is None
