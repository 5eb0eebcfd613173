"""Backup and restore on PostgreSQL (pg_dump, pg_restore): every letter and document verifies afterwards."""

from pathlib import Path

from tests.services.test_backup import _count, _fill, _verified
from webapp.services.platform import backup as backups


def test_a_postgresql_backup_restores_every_letter_and_document_bit_for_bit(
    database_url: str, tmp_path: Path
):
    from tests.pg_server import PostgresServer

    server = PostgresServer(url=database_url)  # the run's server; only a new database of it is used
    url = server.create_database("sala_backup_rehearsal")
    before = _fill(url)
    backups.backup(url, tmp_path / "sala.dump")
    assert (tmp_path / "sala.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    url = server.create_database("sala_backup_rehearsal")  # wiped: dropped and created empty

    backups.restore(url, tmp_path / "sala.dump")

    assert _verified(url) == before and _count(url) == 12
