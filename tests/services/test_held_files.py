"""Held uploads (a form asked "this may be the same person" before saving): the worker's sweep deletes the
bytes once the form's token has run out and no document was filed with them, never bytes a document names."""

import os
from datetime import timedelta

from sqlalchemy import select

from tests.factories import open_case, user
from webapp.domain.base import utcnow
from webapp.domain.cases import DocumentBlob
from webapp.domain.held_files import HELD_FOR, HeldFile
from webapp.domain.previews import DocumentThumbnail
from webapp.services.assembly.worker import SWEEPS
from webapp.services.casework.documents import Upload, attach_document, hold_uploads, sweep_held_files
from webapp.services.platform.jobs import WorkerContext

LIMIT = 5 * 1024 * 1024


def pdf() -> Upload:
    """A file no other test holds."""
    return Upload("family_book", "family_book", "book.pdf", b"%PDF-1.4 held " + os.urandom(16).hex().encode())


def hold(session, upload: Upload) -> str:
    [held] = hold_uploads(session, uploads=[upload], max_bytes=LIMIT)
    return held.sha256


def sweep(session, after: timedelta) -> int:
    return sweep_held_files(session, utcnow() + after, WorkerContext("test"))


def stored(session, digest: str) -> bool:
    session.expire_all()
    return session.get(DocumentBlob, digest) is not None


def test_the_worker_runs_the_sweep():
    assert SWEEPS["held_files"] is sweep_held_files


def test_bytes_never_filed_are_deleted_with_their_preview_once_the_token_has_run_out(session):
    digest = hold(session, pdf())
    session.add(DocumentThumbnail(sha256=digest, png=b"\x89PNG"))
    session.flush()
    sweep(session, HELD_FOR - timedelta(minutes=5))
    assert stored(session, digest)
    assert sweep(session, HELD_FOR + timedelta(minutes=5)) >= 1
    assert not stored(session, digest)
    assert session.get(DocumentThumbnail, digest) is None
    assert session.get(HeldFile, digest) is None


def test_bytes_a_document_was_filed_with_are_kept_and_no_longer_watched(session, process_engine):
    upload = pdf()
    digest = hold(session, upload)
    case = open_case(session, process_engine)
    attach_document(session, case=case, upload=upload, actor=user(session, "ca.charchhuk"))
    sweep(session, HELD_FOR + timedelta(minutes=5))
    assert stored(session, digest)
    assert session.get(HeldFile, digest) is None


def test_holding_the_same_bytes_again_starts_their_time_again(session):
    upload = pdf()
    digest = hold(session, upload)
    session.get(HeldFile, digest).held_at = utcnow() - HELD_FOR
    session.flush()
    hold(session, upload)
    sweep(session, timedelta(minutes=5))
    assert stored(session, digest)
    assert session.scalar(select(HeldFile.held_at).where(HeldFile.sha256 == digest)) > utcnow() - timedelta(
        hours=1
    )
