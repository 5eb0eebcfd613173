"""Khmer word segmenters on the letters' own text: khmercut (CRF) and ICU's dictionary break iterator.

Corpus: the Khmer translations of every message the letter templates print, the sample letters' reasons,
and every Khmer place name of the gazetteer written as a letter writes it (unit word, name, next unit word).
Figures, for both segmenters in one run:
- longest unbroken Khmer chunk (characters) between two break opportunities, and how many chunks are
  longer than 12 characters (about 3 cm at 10.5 pt: such a chunk leaves a ragged line);
- breaks inside words we can verify: the gazetteer's place names (a break inside ចារឈូក splits a name)
  and a short list of dictionary words and person names from the letters, checked by hand;
- speed: characters segmented per second.
Run: .venv/bin/python bench/khmer_segmenter.py
"""

import itertools
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.letters import khmer  # noqa: E402

# Dictionary words and names that occur in Sala's letters, each checked to be one word (Chuon Nath).
_CHECKED = (
    "ការិយាល័យ ឧបត្ថម្ភ សមធម៌ ព្រះរាជាណាចក្រ កម្ពុជា "
    "ព្រះមហាក្សត្រ សាសនា អភិបាល ស្នើសុំ បណ្ដឹង សុពលភាព អនុម័ត "
    "ទូទាត់ វិច្ឆិកា កត្តិក កញ្ញា តុលា ទទួល ឧបត្ថម្ភ កម្មវត្ថុ "
    "កម្មវិធី សមាជិក ដោះស្រាយ គាំពារ លក្ខខណ្ឌ សង្គម ប្រាក់ "
    "សម្រាប់ មូលហេតុ ពិនិត្យ ប្រសិនបើ ឥតគិតថ្លៃ សីហមុនី វរ្ម័ន "
    "ស្រីមុំ សុភាព ចាន់ធី"
)
WORDS = sorted(set(_CHECKED.split()))
NAME_SENTENCES = ("នរោត្តមសីហមុនីវរ្ម័ន", "សុខស្រីមុំ", "ចាន់ធីសុភាព", "ជូនចំពោះសុខស្រីមុំនៅភូមិប្រាសាទ")
LONG_CHUNK = 12


def letter_messages() -> list[str]:
    """The Khmer text of every message the letter templates and the letter services print."""
    ids = set()
    for path in [*(ROOT / "letters").glob("*.html"), *(ROOT / "webapp").rglob("letters.py")]:
        ids.update(re.findall(r'_\(\s*"([^"]+)"', path.read_text(encoding="utf-8")))
    with (ROOT / "locales/km/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="km")
    return [str(catalog[i].string) for i in sorted(ids) if i in catalog and catalog[i].string]


def place_names() -> list[tuple[str, str]]:
    """(unit word, Khmer name) of every area in the gazetteer."""
    names = []
    for level in ("provinces", "districts", "communes", "villages"):
        with (ROOT / f"data/gazetteer/{level}.yml").open(encoding="utf-8") as handle:
            areas = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))[level]
        names += [(a["administrative_unit"]["km"], khmer.clean(a["name"]["km"])) for a in areas.values()]
    return names


def corpus() -> list[str]:
    from tests.letters_support import FIELDS
    from tests.unit.test_letters_render import LONG_KHMER

    reasons = [str(v) for fields in FIELDS.values() for v in fields.values() if isinstance(v, str)]
    return [khmer.clean(t) for t in (*letter_messages(), *reasons, LONG_KHMER, *NAME_SENTENCES)]


def boundaries(tokenize: Callable[[str], list[str]], text: str) -> set[int]:
    """Offsets where the renderer would put U+200B with this segmenter (the cluster rule applied)."""
    tokens, found, position = tokenize(text), set(), 0
    for before, after in itertools.pairwise(tokens):
        position += len(before)
        if khmer.may_break(before, after):
            found.add(position)
    return found


def chunks(text: str, breaks: set[int]) -> list[str]:
    cut = [0, *sorted(breaks), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(cut)]
    return [k for piece in pieces for k in re.findall(r"[\u1780-\u17dd]+", piece)]


def inside(text: str, breaks: set[int], words: Iterable[str]) -> int:
    count = 0
    for word in words:
        for match in re.finditer(re.escape(word), text):
            count += sum(1 for b in breaks if match.start() < b < match.end())
    return count


def measure(name: str, tokenize: Callable[[str], list[str]], texts: list[str], places: list) -> None:
    tokenize(texts[0])  # loads the model or dictionary
    started = time.perf_counter()
    all_breaks = [boundaries(tokenize, t) for t in texts]
    place_texts = [f"{unit}{place}ស្រុក" for unit, place in places]
    place_breaks = [boundaries(tokenize, t) for t in place_texts]
    seconds = time.perf_counter() - started
    characters = sum(map(len, texts)) + sum(map(len, place_texts))
    pieces = [c for t, b in zip(texts, all_breaks, strict=True) for c in chunks(t, b)]
    longest = max(pieces, key=len)
    words = inside_words = 0
    for text, breaks in zip(texts, all_breaks, strict=True):
        inside_words += inside(text, breaks, WORDS)
        words += sum(text.count(w) for w in WORDS)
    split_places = sum(
        1
        for (unit, place), breaks in zip(places, place_breaks, strict=True)
        if any(len(unit) < b < len(unit) + len(place) for b in breaks)
    )
    print(f"{name}")
    print(f"  longest unbroken chunk   {len(longest):5d} characters  {longest}")
    long_chunks = sum(len(c) > LONG_CHUNK for c in pieces)
    print(f"  chunks over {LONG_CHUNK} characters {long_chunks:5d} of {len(pieces)}")
    print(
        f"  breaks inside checked dictionary words and person names {inside_words:5d} ({words} occurrences)"
    )
    print(f"  place names split        {split_places:5d} of {len(places)} ({split_places / len(places):.0%})")
    print(f"  speed                    {characters / seconds:9.0f} characters/s")


def main() -> None:
    import khmercut

    texts, places = corpus(), place_names()
    print(
        f"corpus: {len(texts)} letter texts, {sum(map(len, texts))} characters; {len(places)} place names\n"
    )
    measure("khmercut 0.2.0 (CRF)", khmercut.tokenize, texts, places)
    try:
        import icu
    except ImportError:
        print("\nICU: PyICU is not installed (pip install pyicu; needs libicu-dev and pkg-config)")
        return
    measure(f"ICU {icu.ICU_VERSION} dictionary break iterator", khmer.icu_words, texts, places)
    print("\nIn letters, names from the registry and the gazetteer are protected whatever the segmenter.")


if __name__ == "__main__":
    main()
