"""Golden pages: every page of every letter in Khmer, English and both, rendered to PDF by WeasyPrint, then
to PNGs by PDFium, and compared with the approved images in tests/golden/ (a small tolerance absorbs
anti-aliasing).

To approve a deliberate change, look at the new pages and run:
    SALA_APPROVE_GOLDEN=1 .venv/bin/pytest tests/unit/test_letters_golden.py
which rewrites tests/golden/*.png; commit them with the template change.
"""

import io
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from tests.letters_support import FIELDS, letter, make_renderer

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
APPROVE = os.environ.get("SALA_APPROVE_GOLDEN") == "1"
SCALE = 1.0  # 72 dpi: enough to see a moved line or a missing glyph, small enough to keep in git
MAX_CHANGED_SHARE = 0.002  # of pixels that differ by more than a grey step
CASES = [(key, language) for key in sorted(FIELDS) for language in ("km", "en", "both")]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return make_renderer(tmp_path_factory.mktemp("locales"))


def page_pngs(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        images = [page.render(scale=SCALE).to_pil().convert("L") for page in document]
    finally:
        document.close()
    return images


def first_page_png(pdf: bytes) -> Image.Image:
    return page_pngs(pdf)[0]


def golden_path(key: str, language: str, page: int) -> Path:
    """The first page keeps the plain name; the next ones (the English letter in "both") get -2, -3."""
    return GOLDEN / (f"{key}-{language}.png" if page == 1 else f"{key}-{language}-{page}.png")


def changed_share(actual: Image.Image, approved: Image.Image) -> float:
    if actual.size != approved.size:
        return 1.0
    difference = ImageChops.difference(actual, approved).point(lambda value: 255 if value > 48 else 0)
    return difference.histogram()[255] / (actual.size[0] * actual.size[1])


@pytest.mark.parametrize(("key", "language"), CASES, ids=[f"{k}-{lang}" for k, lang in CASES])
def test_letter_pages_match_the_approved_images(renderer, key, language):
    images = page_pngs(renderer.pdf(letter(key, language)))
    for number, image in enumerate(images, start=1):
        path = golden_path(key, language, number)
        if APPROVE:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            path.write_bytes(buffer.getvalue())
        assert path.exists(), f"{path.name} is not approved yet: see this module's docstring"
        share = changed_share(image, Image.open(path).convert("L"))
        assert share <= MAX_CHANGED_SHARE, f"{share:.2%} of {path.name} changed"
    assert not golden_path(key, language, len(images) + 1).exists(), "fewer pages than approved"


def test_the_comparison_notices_a_changed_letter(renderer):
    """The tolerance is small enough that a different reason (one short line) fails the comparison."""
    fields = FIELDS["grievance_decision"] | {"reason": "A different reason."}
    image = first_page_png(renderer.pdf(letter("grievance_decision", "en", fields=fields)))
    approved = Image.open(GOLDEN / "grievance_decision-en.png").convert("L")
    assert changed_share(image, approved) > MAX_CHANGED_SHARE
