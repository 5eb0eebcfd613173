"""`flask check-content` refuses a catalog that spells a word two ways: coeng TA where Sala writes coeng DA,
and the Latin brand, SSDM or size units inside Khmer text."""

from pathlib import Path

from webapp.services.processes.content_check import catalog_problems, spelling_problems


def catalog(tmp_path: Path, msgstr: str) -> Path:
    path = tmp_path / "messages.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "Save draft"\nmsgstr "{msgstr}"\n',
        encoding="utf-8",
    )
    return path


def test_a_coeng_ta_spelling_of_a_da_word_is_refused_with_the_preferred_one(tmp_path):
    bad = "រក្សាទុកសេចក\u17d2\u178fីព្រាង"  # សេចក្តី typed with the subscript TA
    problems = catalog_problems(catalog(tmp_path, bad))
    assert len(problems) == 1
    assert "សេចក្តី → សេចក្ដី" in problems[0] and "'Save draft'" in problems[0]


def test_the_da_spelling_passes(tmp_path):
    assert catalog_problems(catalog(tmp_path, "រក្សាទុកសេចក្ដីព្រាង")) == []


def test_latin_brand_abbreviation_and_units_inside_khmer_are_refused():
    assert spelling_problems("លិខិតនេះត្រូវបានចេញដោយ Sala។") == ["Sala → សាលា"]
    assert spelling_problems("ជំនួយការ SSDM ស្រុក") == ["SSDM → យ.ផ.ស.ស."]
    assert spelling_problems("ធំជាង ២ MB។") == ["MB → មេហ្គាបៃ"]


def test_other_look_alikes_are_refused_with_the_spelling_the_catalog_uses():
    assert spelling_problems("លេខទូរសព្ទ") == ["ទូរសព្ទ → ទូរស័ព្ទ"]
    assert spelling_problems("ស្រ្តី") == ["ស្រ្ត → ស្ត្រ"]


def test_words_that_keep_coeng_ta_and_latin_outside_khmer_pass():
    assert spelling_problems("ស្ត្រី សន្តិសុខ បន្ត") == []
    assert spelling_problems("Sala SSDM") == []  # an English string is not Khmer text


def test_the_khmer_catalog_is_spelled_one_way():
    path = Path(__file__).resolve().parents[2] / "locales" / "km" / "LC_MESSAGES" / "messages.po"
    assert [problem for problem in catalog_problems(path) if "spelling" in problem] == []
