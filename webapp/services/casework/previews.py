"""Small previews of a case's documents: the first page of a PDF or the image itself as a PNG thumbnail,
rendered on first request, kept per file content, and read under the same rule as the document."""

import io
import logging

import pypdfium2
from PIL import Image
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.people import User
from webapp.domain.previews import DocumentThumbnail
from webapp.services.casework.documents import document_content

log = logging.getLogger(__name__)

BOX = (240, 320)  # the largest thumbnail, in pixels: a phone shows two side by side
MAX_SOURCE_PIXELS = 40_000_000  # an image larger than this is refused, not decoded (a decompression bomb)


def thumbnail(session: Session, *, case: Case, document_id: int, viewer: User) -> bytes | None:
    """The document's thumbnail (rendered now if it is the first request); None if it cannot be drawn.

    `document_content` asks `may_read_personal`, so a thumbnail is shown to exactly who may open the file."""
    document, content = document_content(session, document_id=document_id, case=case, viewer=viewer)
    kept = session.get(DocumentThumbnail, document.sha256)
    if kept is not None:
        return kept.png
    png = render_thumbnail(content, document.content_type)
    if png is None:
        return None
    try:
        with session.begin_nested():  # another request may have kept the same file's thumbnail meanwhile
            session.add(DocumentThumbnail(sha256=document.sha256, png=png))
    except IntegrityError:
        log.info("Thumbnail of %s was kept by another request first", document.sha256[:12])
    return png


def render_thumbnail(content: bytes, content_type: str) -> bytes | None:
    try:
        image = _first_page(content) if content_type == "application/pdf" else _image(content)
    except Exception:  # a damaged or hostile file shows no preview; the file itself still opens
        log.warning("No thumbnail for a %s of %d bytes", content_type, len(content), exc_info=True)
        return None
    image.thumbnail(BOX)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _first_page(content: bytes) -> Image.Image:
    pdf = pypdfium2.PdfDocument(content)
    try:
        page = pdf[0]
        width, height = page.get_size()
        scale = min(BOX[0] / width, BOX[1] / height)
        return page.render(scale=scale).to_pil().copy()  # the bitmap goes with the document
    finally:
        pdf.close()


def _image(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    if image.width * image.height > MAX_SOURCE_PIXELS:
        raise ValueError(f"image of {image.width}x{image.height} pixels is too large to preview")
    image.draft("RGB", BOX)  # JPEG decodes at a reduced size straight away
    image.load()
    return image
