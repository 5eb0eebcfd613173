"""Commune batches: every letter issued for one commune in a date range, as one PDF in village order,
rendered by the background worker from the letters' archived HTML."""

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel, within
from webapp.domain.cases import Case
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.jobs import Job
from webapp.domain.letters import Letter, LetterBlob
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.letters import LetterRenderer, default_renderer
from webapp.letters.render import CARD_KEYS, card_sheets
from webapp.services.platform.jobs import WorkerContext, enqueue

JOB_KIND = "letter_batch"
BATCH_ROLES = ("commune_assistant", "inter_sector_officer", "district_supervisor", "administrator")
MAX_DAYS = 93  # a quarter: a longer range is a report, not a pile of letters to hand out
READ_CHUNK = 100  # letters' pages read per transaction by the batch job


def communes_for(session: Session, *, user: User) -> list[Area]:
    query = select(Area).where(Area.level == AreaLevel.COMMUNE).order_by(Area.code)
    query = query.where(within(Area.code, user.scope_code[:6]))
    return [area for area in session.scalars(query) if user.covers(area.code)]


def enqueue_batch(
    session: Session, *, actor: User, commune_code: str, start: date, end: date, cards: bool = False
) -> Job:
    """Queues a batch: every letter of the commune in the period, or with `cards` its membership cards on
    A4 sheets."""
    if actor.role not in BATCH_ROLES:
        raise PermissionDenied()
    commune = session.get(Area, commune_code)
    if commune is None or commune.level != AreaLevel.COMMUNE or not actor.covers(commune_code):
        raise InvalidInput({"commune": [N_("Choose a commune of your area.")]})
    if end < start or (end - start).days > MAX_DAYS:
        raise InvalidInput({"start": [N_("Choose a period of at most three months.")]})
    payload = {
        "commune": commune_code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "by": actor.id,
        "cards": cards,
    }
    return enqueue(session, kind=JOB_KIND, payload=payload)


def batch_letters(
    session: Session, *, commune_code: str, start: date, end: date, cards: bool = False
) -> list[Letter]:
    """The letters to hand out, village by village, then in the order they were issued."""
    return list(session.scalars(_batch_query(commune_code=commune_code, start=start, end=end, cards=cards)))


def _batch_query(*, commune_code: str, start: date, end: date, cards: bool) -> Select[Letter]:
    query = (
        select(Letter)
        .join(Letter.case)
        .where(
            within(Case.area_code, commune_code),
            Letter.issued_on >= start,
            Letter.issued_on <= end,
        )
        .order_by(Case.area_code, Letter.issued_on, Letter.id)
    )
    if cards:
        query = query.where(Letter.key.in_(CARD_KEYS))
    return query


def render_batch(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """The job handler: one PDF of the letters' archived pages, kept as a blob the officer downloads.

    A commune's batch can hold hundreds of letters and take minutes to lay out: the pages are read a chunk at
    a time with a checkpoint (a commit, with the progress) after each, and the layout runs with no transaction
    open; the finished PDF is written in a short transaction of its own."""
    renderer: LetterRenderer = context.resource("letter_renderer", default_renderer)
    query = _batch_query(
        commune_code=payload["commune"],
        start=date.fromisoformat(payload["start"]),
        end=date.fromisoformat(payload["end"]),
        cards=bool(payload.get("cards")),
    )
    ids = list(session.scalars(query.with_only_columns(Letter.id)))
    if not ids:
        return {"letters": 0, "sha256": None}
    documents: list[str] = []
    for start in range(0, len(ids), READ_CHUNK):
        chunk = ids[start : start + READ_CHUNK]
        pages = dict(
            session.execute(select(Letter.id, Letter.html).where(Letter.id.in_(chunk))).tuples().all()
        )
        documents.extend(pages[letter_id] for letter_id in chunk)
        context.checkpoint({"letters": len(ids), "read": len(documents)})
    if payload.get("cards"):
        pdf = renderer.pdf_from_html(card_sheets(documents))
    else:
        pdf = renderer.pdf_from_documents(documents)
    sha256 = hashlib.sha256(pdf).hexdigest()
    if session.get(LetterBlob, sha256) is None:
        session.add(LetterBlob(sha256=sha256, content=pdf))
        session.flush()
    return {"letters": len(ids), "sha256": sha256}


def batch_jobs(session: Session, *, user: User, limit: int = 10) -> list[tuple[Job, dict[str, Any]]]:
    """This officer's recent batches, newest first, with their payloads."""
    jobs = session.scalars(select(Job).where(Job.kind == JOB_KIND).order_by(Job.id.desc()).limit(200))
    mine = [(job, json.loads(job.payload_json)) for job in jobs]
    return [(job, payload) for job, payload in mine if payload.get("by") == user.id][:limit]


def batch_pdf(session: Session, *, job_id: int, user: User) -> bytes:
    job = session.get(Job, job_id)
    payload = json.loads(job.payload_json) if job is not None and job.kind == JOB_KIND else {}
    if job is None or not payload or not user.covers(payload["commune"]):
        raise NotFound(N_("Not found."))
    sha256 = json.loads(job.result_json or "{}").get("sha256")
    blob = session.get(LetterBlob, sha256) if sha256 else None
    if blob is None:
        raise NotFound(N_("The batch is not ready yet."))
    return blob.content
