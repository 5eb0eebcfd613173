"""Supporting documents: type-checked by their bytes, size-limited, stored once per SHA-256."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import Case, Document, DocumentBlob
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.held_files import HELD_FOR, HeldFile
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.previews import DocumentThumbnail
from webapp.services.casework.access import may_read_personal
from webapp.services.casework.events import record_event
from webapp.services.platform.jobs import WorkerContext

# The first bytes of each accepted type: the client's claimed content type is never trusted.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


@dataclass(frozen=True)
class Upload:
    field: str  # the form field it came from, for error messages
    kind: str
    filename: str
    content: bytes


def sniff_content_type(content: bytes) -> str | None:
    return next((kind for magic, (kind, _) in SIGNATURES.items() if content.startswith(magic)), None)


def check_uploads(uploads: list[Upload], *, max_bytes: int) -> None:
    """Refuses the whole submission if any file is empty, too large or not a PDF, JPEG or PNG."""
    errors: dict[str, list[str]] = {}
    for upload in uploads:
        if not upload.content:
            errors.setdefault(upload.field, []).append(N_("The file is empty."))
        elif len(upload.content) > max_bytes:
            errors.setdefault(upload.field, []).append(N_("The file is larger than the limit."))
        elif sniff_content_type(upload.content) is None:
            errors.setdefault(upload.field, []).append(N_("Only PDF, JPEG and PNG files are accepted."))
    if errors:
        raise InvalidInput(errors)


DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class HeldUpload:
    """A file already given while the officer answers a question before saving ("this may be the same
    person"): its bytes are stored once by SHA-256, so the form carries only its name and digest."""

    field: str
    kind: str
    filename: str
    sha256: str


def hold_uploads(session: Session, *, uploads: list[Upload], max_bytes: int) -> list[HeldUpload]:
    """Checks the files as filing them would and stores their bytes (once per SHA-256) until the form comes
    back; a file never filed on a case is only bytes, named by no document."""
    check_uploads(uploads, max_bytes=max_bytes)
    held = []
    for upload in uploads:
        digest = hashlib.sha256(upload.content).hexdigest()
        if session.get(DocumentBlob, digest) is None:
            session.add(DocumentBlob(sha256=digest, content=upload.content))
            session.flush()
        _date_hold(session, digest)
        held.append(HeldUpload(upload.field, upload.kind, _safe_filename(upload.filename), digest))
    return held


def _date_hold(session: Session, digest: str) -> None:
    """The bytes are held from now: the worker keeps them while a form's token may still name them."""
    mark = session.get(HeldFile, digest)
    if mark is None:
        session.add(HeldFile(sha256=digest, held_at=utcnow()))
        session.flush()
    else:
        mark.held_at = utcnow()


def sweep_held_files(session: Session, now: datetime, context: WorkerContext) -> int:
    """The worker's sweep: bytes held longer than a form's token lives (`HELD_FOR`) are forgotten, and deleted
    (with their preview) when no document was filed with them. Returns how many holds it ended."""
    stale = select(HeldFile.sha256).where(HeldFile.held_at < now - HELD_FOR)
    digests = list(
        session.scalars(stale.order_by(HeldFile.held_at).limit(500).with_for_update(skip_locked=True))
    )
    if not digests:
        return 0
    filed = set(session.scalars(select(Document.sha256).where(Document.sha256.in_(digests)).distinct()))
    unused = [digest for digest in digests if digest not in filed]
    session.execute(delete(HeldFile).where(HeldFile.sha256.in_(digests)))
    session.execute(delete(DocumentThumbnail).where(DocumentThumbnail.sha256.in_(unused)))
    session.execute(delete(DocumentBlob).where(DocumentBlob.sha256.in_(unused)))
    return len(digests)


def take_held(session: Session, *, held: Sequence[HeldUpload]) -> list[Upload]:
    """The held files again, each read back and checked against its digest."""
    uploads = []
    for entry in held:
        blob = session.get(DocumentBlob, entry.sha256)
        if blob is None or hashlib.sha256(blob.content).hexdigest() != entry.sha256:
            raise InvalidInput({entry.field: [N_("Attach this document again.")]})
        uploads.append(Upload(entry.field, entry.kind, entry.filename, blob.content))
    return uploads


def attach_documents(
    session: Session, *, case: Case, uploads: Sequence[Upload], actor: User
) -> dict[str, int]:
    """Files the uploads on the case, each with a timeline event; returns the document id per form field."""
    ids = {}
    for upload in uploads:
        document = attach_document(session, case=case, upload=upload, actor=actor)
        record_event(
            session,
            case=case,
            kind="document_added",
            actor=actor,
            after={"kind": upload.kind, "file": document.filename, "sha256": document.sha256},
        )
        ids[upload.field] = document.id
    return ids


def attach_document(session: Session, *, case: Case, upload: Upload, actor: User) -> Document:
    digest = hashlib.sha256(upload.content).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(DocumentBlob(sha256=digest, content=upload.content))
        session.flush()  # no relationship links the two, so the blob must exist before the row that names it
    document = Document(
        case_id=case.id,
        kind=upload.kind,
        filename=_safe_filename(upload.filename),
        content_type=sniff_content_type(upload.content) or "application/octet-stream",
        size=len(upload.content),
        sha256=digest,
        uploaded_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    return document


def document_content(
    session: Session, *, document_id: int, case: Case, viewer: User
) -> tuple[Document, bytes]:
    """A document of the case, for a viewer who may read the case's personal content (the same rule as its
    letters: a confidential grievance's documents only for the officers handling it)."""
    document = session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound(N_("Document not found."))
    if not may_read_personal(session, case=case, viewer=viewer):
        raise NotFound(N_("Document not found."))
    blob = session.get(DocumentBlob, document.sha256)
    assert blob is not None  # the foreign key guarantees it
    return document, blob.content


def _safe_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return "".join(ch for ch in base if ch.isprintable())[:200]
