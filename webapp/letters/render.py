"""Letters from `letters/` to HTML and PDF: one Jinja environment per language, one warm WeasyPrint setup.

This module is the only reader of the `letters/` folder. Templates get gettext from the Babel catalogs in
`locales/` and helpers that write numbers, dates and riel amounts the way the letter's language does.
"""

import atexit
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import segno
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from webapp.letters import khmer
from webapp.letters.model import LetterData, Place

PAGE_TEMPLATE = "_page.html"
SHARED_FILES = ("_layout.html", PAGE_TEMPLATE, "letter.css")
CARD_KEYS = frozenset({"membership_card", "nssf_member_card"})
FONT_SUFFIXES = (".ttf", ".woff", ".woff2")
KHMER_COLON = "៖"
_CARD = re.compile(r'<article class="card".*?</article>', re.S)
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _finalize(value: Any) -> Any:
    """Every printed value passes here: Khmer words get break points (a Khmer name in an English letter
    too), and all text is cleaned of invisible characters."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # gettext's results; the QR code's SVG is left as segno wrote it
        # already escaped; break points are only added between Khmer letters, never inside markup
        return value if "<svg" in value else Markup(khmer.break_points(str(value)))  # noqa: S704
    return khmer.break_points(value) if isinstance(value, str) else value


def _helpers(locale: str) -> dict[str, Callable[..., str]]:
    """Helpers the templates print values with; `name` and `place` protect names from line breaks inside,
    and `label` ends a label with Khmer ៖ or the Latin colon."""
    if locale == "km":
        return {
            "num": khmer.digits,
            "day": khmer.solar_date,
            "lunar": khmer.lunar_line,
            "money": lambda amount: khmer.riel(amount, "km"),
            "place": lambda place: khmer.protect(place.label("km")),
            "address": lambda places: address(places, "km"),
            "name": khmer.protect,
            "label": lambda text: text + KHMER_COLON,
        }
    return {
        "num": str,
        "day": lambda d: f"{d.day} {ENGLISH_MONTHS[d.month - 1]} {d.year}",
        "lunar": lambda _d: "",
        "money": lambda amount: khmer.riel(amount, "en"),
        "place": lambda place: khmer.protect(place.label("en")),
        "address": lambda places: address(places, "en"),
        "name": khmer.protect,
        "label": lambda text: text + ":",
    }


def address(places: Place | Iterable[Place], locale: str) -> str:
    """A full address, smallest area first: ភូមិប្រាសាទ ឃុំចារឈូក ... in Khmer (spaces between the areas, as
    Khmer addresses are written), Prasat Village, Char Chhuk Commune, ... in English. One place is itself."""
    if isinstance(places, Place):
        places = (places,)
    return (" " if locale == "km" else ", ").join(khmer.protect(place.label(locale)) for place in places)


class LetterRenderer:
    """Renders letters; keep one per process so the fonts and the stylesheet are loaded once."""

    def __init__(self, letters_dir: Path, locales_dir: Path) -> None:
        self.letters_dir = letters_dir
        self.locales_dir = locales_dir
        self._environments: dict[str, Environment] = {}
        self._weasy: tuple[Any, Any] | None = None
        # The page only assembles letters already rendered (and segmented) in their own languages.
        self._page_environment = Environment(loader=FileSystemLoader(letters_dir), autoescape=True)

    def asset(self, name: str) -> Path | None:
        """The letters' stylesheet or one of its fonts, by the relative name letter.css uses; None otherwise.
        The page view of a letter links these, so the browser draws it as the PDF was printed."""
        if name == "letter.css" or (name.startswith("fonts/") and name.endswith(FONT_SUFFIXES)):
            path = (self.letters_dir / name).resolve()
            if path.parent in (self.letters_dir.resolve(), (self.letters_dir / "fonts").resolve()):
                return path if path.is_file() else None
        return None

    def keys(self) -> list[str]:
        return sorted(p.stem for p in self.letters_dir.glob("*.html") if not p.name.startswith("_"))

    def template_version(self, key: str) -> str:
        """SHA-256 of the files that shape this letter: its template, the layout, the page and the styles."""
        digest = hashlib.sha256()
        for name in (f"{key}.html", *SHARED_FILES):
            digest.update((self.letters_dir / name).read_bytes())
        return digest.hexdigest()

    def environment(self, locale: str) -> Environment:
        if locale not in self._environments:
            env = Environment(
                loader=FileSystemLoader(self.letters_dir),
                autoescape=True,
                undefined=StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                finalize=_finalize,
            )
            translations = Translations.load(str(self.locales_dir), [locale], "messages")
            env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
            env.globals.update(_helpers(locale), locale=locale, colon=KHMER_COLON if locale == "km" else "")
            self._environments[locale] = env
        return self._environments[locale]

    def html(self, letter: LetterData) -> str:
        return self.html_many([letter])

    def html_many(self, letters: Iterable[LetterData], *, sheet: bool = False) -> str:
        """One HTML document; each letter starts on a new page. Cards get their own small pages, or with
        `sheet` share A4 sheets to be cut out."""
        pages = [self._page_body(letter) for letter in letters]
        return self._page_environment.get_template(PAGE_TEMPLATE).render(pages=pages, sheet=sheet)

    def _page_body(self, letter: LetterData) -> Mapping[str, Any]:
        columns = [
            Markup(self._column(letter, locale))  # noqa: S704 - the output of an autoescaping template
            for locale in letter.locales
        ]
        return {"columns": columns, "card": letter.key in CARD_KEYS}

    def _column(self, letter: LetterData, locale: str) -> str:
        template = self.environment(locale).get_template(f"{letter.key}.html")
        return template.render(letter=letter, qr=qr_svg(letter.verify_url))

    def pdf(self, letter: LetterData) -> bytes:
        return self.pdf_many([letter])

    def pdf_many(self, letters: Iterable[LetterData], *, sheet: bool = False) -> bytes:
        return self.pdf_from_html(self.html_many(letters, sheet=sheet))

    def pdf_from_html(self, html: str) -> bytes:
        from weasyprint import HTML  # imported on first render: the web process may never print

        stylesheet, font_config = self._stylesheet()
        document = HTML(string=html, base_url=str(self.letters_dir))
        pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
        return pdf

    def pdf_from_documents(self, documents: Sequence[str], *, chunk: int = 20) -> bytes:
        """Many rendered letters as one PDF. Laid out a chunk at a time, because WeasyPrint's layout slows
        down as one document grows; the pages are then written together, sharing their fonts."""
        from weasyprint import HTML

        stylesheet, font_config = self._stylesheet()
        rendered = [
            HTML(
                string=join_documents(documents[start : start + chunk]), base_url=str(self.letters_dir)
            ).render(stylesheets=[stylesheet], font_config=font_config)
            for start in range(0, len(documents), chunk)
        ]
        pages = [page for document in rendered for page in document.pages]
        pdf: bytes = rendered[0].copy(pages).write_pdf()
        return pdf

    def document(self, html: str) -> Any:
        """The laid-out WeasyPrint document, for tests that inspect boxes and for rendering pages to PNG."""
        from weasyprint import HTML

        stylesheet, font_config = self._stylesheet()
        return HTML(string=html, base_url=str(self.letters_dir)).render(
            stylesheets=[stylesheet], font_config=font_config
        )

    def _stylesheet(self) -> tuple[Any, Any]:
        """The parsed letter.css with its @font-face fonts registered once in one FontConfiguration."""
        if self._weasy is None:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            font_config = FontConfiguration()
            css = CSS(filename=str(self.letters_dir / "letter.css"), font_config=font_config)
            self._weasy = (css, font_config)
            # Dropped before interpreter shutdown: its finaliser needs the cffi library still loaded.
            atexit.register(self._release)
        return self._weasy

    def _release(self) -> None:
        self._weasy = None


def join_documents(documents: Sequence[str]) -> str:
    """Rendered letters as one HTML document: their pages in order, each already starting a page."""
    bodies = [html.split("<body>", 1)[-1].rsplit("</body>", 1)[0] for html in documents]
    return '<!doctype html><html lang="km"><head><meta charset="utf-8"></head><body>{}</body></html>'.format(
        "".join(bodies)
    )


def card_sheets(documents: Sequence[str]) -> str:
    """Membership cards from rendered letters, ten to an A4 sheet with cutting lines, for plain paper."""
    cards = [card for html in documents for card in _CARD.findall(html)]
    return join_documents([f'<body><div class="page sheet">{"".join(cards)}</div></body>'])


def qr_svg(url: str) -> Markup:
    """The verification address as an inline SVG QR code (medium error correction survives a fold)."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg)  # noqa: S704 - segno's own SVG, the URL inside is encoded as modules, not text


@cache
def default_renderer() -> LetterRenderer:
    """The process's renderer over the project's own `letters/` and `locales/` folders."""
    root = Path(__file__).resolve().parent.parent.parent
    return LetterRenderer(root / "letters", root / "locales")
