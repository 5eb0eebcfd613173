"""Khmer digits, official dates, riel amounts and word break points for Pango."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.letters.khmer import WJ, ZWSP, break_points, clean, digits, protect, riel, solar_date

SENTENCE = "ការិយាល័យច្រកចេញចូលតែមួយបានទទួលពាក្យស្នើសុំរបស់លោកអ្នកនៅថ្ងៃទី២០ ខែវិច្ឆិកា ឆ្នាំ២០២៦។"


def test_digits_become_khmer_digits_and_other_characters_stay():
    assert digits(1234567890) == "១២៣៤៥៦៧៨៩០"
    assert digits("APP-1701-2026") == "APP-១៧០១-២០២៦"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 21), "ថ្ងៃទី២១ ខែវិច្ឆិកា ឆ្នាំ២០២៦"),
        (date(2027, 1, 5), "ថ្ងៃទី០៥ ខែមករា ឆ្នាំ២០២៧"),
        (date(2024, 2, 29), "ថ្ងៃទី២៩ ខែកុម្ភៈ ឆ្នាំ២០២៤"),
    ],
)
def test_solar_date_has_the_official_form(day, text):
    assert solar_date(day) == text


def test_riel_amounts_group_thousands_and_carry_the_riel_sign():
    assert riel(40000, "km") == "៤០.០០០៛"
    assert riel(1250000, "km") == "១.២៥០.០០០៛"
    assert riel(40000, "en") == "KHR 40,000"


def test_break_points_fall_between_words_only():
    broken = break_points(SENTENCE)
    assert broken.replace(ZWSP, "") == SENTENCE
    assert broken.count(ZWSP) >= 8
    assert "ការិយាល័យ" + ZWSP + "ច្រក" in broken


def test_no_break_point_beside_digits_signs_or_spaces():
    broken = break_points(SENTENCE)
    for index, char in enumerate(broken):
        if char != ZWSP:
            continue
        before, after = broken[index - 1], broken[index + 1]
        for neighbour in (before, after):
            assert not neighbour.isdigit(), broken[index - 3 : index + 3]
            assert neighbour not in "។៕ "
        assert before != "\u17d2"  # never after a coeng: the subscript belongs to the cluster
        assert unicodedata.category(after) not in ("Mn", "Mc")


def test_existing_zero_width_characters_are_replaced_not_doubled():
    pasted = "សុខ\u200b\u200bស្រី\ufeffមុំ\u2060"
    assert clean(pasted) == "សុខស្រីមុំ"
    assert ZWSP * 2 not in break_points(pasted)


def test_decomposed_input_is_composed_before_segmenting():
    decomposed = unicodedata.normalize("NFD", "Café សុខ")
    assert clean(decomposed) == "Café សុខ"


def test_latin_text_is_left_alone():
    assert break_points("Sok Sreymom, 12 Street") == "Sok Sreymom, 12 Street"


@given(st.text(alphabet=st.sampled_from(list("កខគងចឆជញដទនបពមយរលវសហអ" + "ាិីុូេែៃោៅំះ្់៍" + "០១២ 。។ab"))))
def test_break_points_never_change_the_text_or_split_a_cluster(text):
    broken = break_points(text)
    assert broken.replace(ZWSP, "") == clean(text)
    for index, char in enumerate(broken):
        if char == ZWSP:
            assert broken[index - 1] != "\u17d2"
            assert index + 1 < len(broken)
            assert unicodedata.category(broken[index + 1]) not in ("Mn", "Mc")


def test_a_word_ending_in_a_sign_is_followed_by_a_break_point():
    """សម្រាប់ and ខ្ញុំ end in a sign, not a letter: a break must still follow them."""
    broken = break_points("ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែកញ្ញានិងខែតុលាទេ។")
    assert "ខ្ញុំ" + ZWSP in broken
    assert "សម្រាប់" + ZWSP + "ខែ" in broken


def test_a_protected_name_is_never_broken_inside_only_at_its_spaces():
    name = protect("នរោត្តម សីហមុនីវរ្ម័ន")
    broken = break_points(f"ជូនចំពោះ {name} នៅភូមិប្រាសាទ")
    assert "នរោត្តម" not in broken  # joined by U+2060 between its clusters
    assert broken.replace(WJ, "").replace(ZWSP, "") == "ជូនចំពោះ នរោត្តម សីហមុនីវរ្ម័ន នៅភូមិប្រាសាទ"
    protected = broken[broken.index(" ") + 1 : broken.index(" នៅ")]
    assert ZWSP not in protected and protected.count(" ") == 1
    assert WJ + "\u17d2" not in broken and "\u17d2" + WJ not in broken  # clusters stay whole


def test_a_pasted_word_joiner_inside_a_cluster_is_dropped():
    assert break_points("ស\u2060ុខ") == "សុខ"  # between a consonant and its vowel sign


def test_unknown_words_are_not_shattered_into_single_letters():
    assert break_points("ជាសមាជិកតាំងពី").count(ZWSP) <= 2


@given(st.text(alphabet=st.sampled_from(list("កខគងចឆជញដទនបពមយរលវសហអ" + "ាិីុូេែៃោៅំះ្់៍ " + "\u2060"))))
def test_protected_text_keeps_its_letters_and_never_breaks(text):
    broken = break_points(protect(text))
    assert ZWSP not in broken
    assert broken.replace(WJ, "") == clean(text)
