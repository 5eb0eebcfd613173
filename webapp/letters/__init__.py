"""Letters: render a letter to HTML and PDF in the recipient's language; Khmer text and calendar helpers."""

from webapp.letters.model import LANGUAGES, LetterData, Place, Recipient
from webapp.letters.render import LetterRenderer, default_renderer, qr_svg

__all__ = ["LANGUAGES", "LetterData", "LetterRenderer", "Place", "Recipient", "default_renderer", "qr_svg"]
