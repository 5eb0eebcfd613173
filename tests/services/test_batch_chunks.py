"""A commune batch reads its letters a chunk at a time, with a checkpoint (commit) after each chunk."""

from datetime import date

from tests.factories import drain_jobs, open_case, user
from webapp.services.correspondence import batches
from webapp.services.platform.jobs import WorkerContext


class PagesOnly:
    """Stands in for the letter renderer: the test is about transactions, not about laying out PDFs."""

    def pdf_from_documents(self, documents):
        return b"%PDF " + str(len(documents)).encode()


def test_a_batch_commits_after_each_chunk_of_letters_it_reads(session, process_engine, monkeypatch):
    for village in ("17010101", "17010102", "17010101"):
        open_case(session, process_engine, village_code=village)
    drain_jobs(session)
    officer = user(session, "ca.charchhuk")  # the batch holds the letters its requester may read
    payload = {"commune": "170101", "start": "2000-01-01", "end": "2100-01-01", "by": officer.id}
    letters = batches.batch_letters(
        session, commune_code="170101", start=date(2000, 1, 1), end=date(2100, 1, 1)
    )
    monkeypatch.setattr(batches, "READ_CHUNK", 2)
    progress = []
    context = WorkerContext("test", resources={"letter_renderer": PagesOnly()}, checkpoint=progress.append)

    result = batches.render_batch(session, payload, context)

    assert result["letters"] == len(letters) >= 3
    assert [step["read"] for step in progress] == [
        min(n, len(letters)) for n in range(2, len(letters) + 2, 2)
    ]
