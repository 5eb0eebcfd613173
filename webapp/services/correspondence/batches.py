"""Commune batches: every letter issued for one commune in a date range, as one PDF in village order,
rendered by the background worker from the letters' archived HTML.

A batch is made for the officer who asked for it: only the roles that hand letters out may ask, it leaves out
the letters that officer may not read (a confidential grievance's, unless they handle it), only that officer
downloads it, and its address carries a random token instead of the sequential job number."""

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
from webapp.domain.letters import Letter, LetterBatch, LetterBlob
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.letters import LetterRenderer, default_renderer
from webapp.letters.render import CARD_KEYS, card_sheets
from webapp.services.casework.access import may_read_personal
from webapp.services.platform.jobs import WorkerContext, enqueue

JOB_KIND = "letter_batch"
# Roles that hand letters out (every one of them is in correspondence.letters.HANDLER_ROLES).
BATCH_ROLES = (
    RoleName.COMMUNE_ASSISTANT,
    RoleName.INTER_SECTOR_OFFICER,
    RoleName.DISTRICT_SUPERVISOR,
    RoleName.ADMINISTRATOR,
)
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
    job = enqueue(session, kind=JOB_KIND, payload=payload)
    session.flush()  # the batch row points at the job by its id
    session.add(LetterBatch(job_id=job.id, requested_by_id=actor.id))
    session.flush()
    return job


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
    ids = _readable(
        session, list(session.execute(query.with_only_columns(Letter.id, Letter.case_id))), payload
    )
    if not ids:
        return {"letters": 0, "sha256": None}
    documents: list[str] = []
    for start in range(0, len(ids), READ_CHUNK):
        chunk = ids[start : start + READ_CHUNK]
        pages: dict[int, str] = {
            letter_id: html
            for letter_id, html in session.execute(select(Letter.id, Letter.html).where(Letter.id.in_(chunk)))
        }
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


def _readable(session: Session, rows: list[Any], payload: Mapping[str, Any]) -> list[int]:
    """The letter ids the requesting officer may read, in order: the single letters' confidentiality rule."""
    requester = session.get(User, payload.get("by")) if payload.get("by") else None
    if requester is None or requester.role not in BATCH_ROLES:
        return []
    allowed: dict[int, bool] = {}
    for case_id in {case_id for _letter_id, case_id in rows}:
        case = session.get(Case, case_id)
        allowed[case_id] = case is not None and may_read_personal(session, case=case, viewer=requester)
    return [letter_id for letter_id, case_id in rows if allowed[case_id]]


def batch_jobs(session: Session, *, user: User, limit: int = 10) -> list[tuple[Job, dict[str, Any], str]]:
    """This officer's recent batches, newest first, with their payloads and download tokens."""
    rows = session.execute(
        select(Job, LetterBatch.token)
        .join(LetterBatch, LetterBatch.job_id == Job.id)
        .where(Job.kind == JOB_KIND, LetterBatch.requested_by_id == user.id)
        .order_by(Job.id.desc())
        .limit(limit)
    ).all()
    return [(job, json.loads(job.payload_json), token) for job, token in rows]


def batch_token(session: Session, *, job: Job) -> str:
    token = session.scalar(select(LetterBatch.token).where(LetterBatch.job_id == job.id))
    if token is None:
        raise NotFound(N_("Not found."))
    return token


def batch_pdf(session: Session, *, token: str, user: User) -> bytes:
    """The finished PDF, for the officer who asked for it while they still hold a role that hands out letters
    in that commune; anyone else, and any other token, finds nothing."""
    batch = session.get(LetterBatch, token[:32])
    job = session.get(Job, batch.job_id) if batch is not None else None
    payload = json.loads(job.payload_json) if job is not None and job.kind == JOB_KIND else {}
    if (
        batch is None
        or job is None
        or not payload
        or batch.requested_by_id != user.id
        or user.role not in BATCH_ROLES
        or not user.covers(payload["commune"])
    ):
        raise NotFound(N_("Not found."))
    sha256 = json.loads(job.result_json or "{}").get("sha256")
    blob = session.get(LetterBlob, sha256) if sha256 else None
    if blob is None:
        raise NotFound(N_("The batch is not ready yet."))
    return blob.content
