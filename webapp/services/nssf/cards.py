"""Member cards of a declaration, ten to an A4 sheet with cutting lines: laid out by the worker from the
cards' archived pages, downloaded only by the officer who asked for them."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.errors import NotFound, PermissionDenied
from webapp.domain.jobs import Job
from webapp.domain.letters import Letter, LetterBlob
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.letters import LetterRenderer, default_renderer
from webapp.letters.render import card_sheets
from webapp.services.nssf.records import MEMBER_PROCESS, READERS
from webapp.services.platform.jobs import WorkerContext, enqueue

CARD_SHEET_JOB = "nssf_card_sheet"
CARD_KEY = "nssf_member_card"


def enqueue_card_sheet(session: Session, *, case: Case, actor: User) -> Job:
    if case.process_id != MEMBER_PROCESS or actor.role not in READERS or not actor.covers(case.area_code):
        raise PermissionDenied()
    job = enqueue(session, kind=CARD_SHEET_JOB, payload={"case_id": case.id, "by": actor.id})
    session.flush()  # the page links to the sheet by the job's id
    return job


def render_card_sheet(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """The job handler: the case's cards, in the order they were issued, as one PDF kept as a blob."""
    renderer: LetterRenderer = context.resource("letter_renderer", default_renderer)
    pages = session.scalars(
        select(Letter.html)
        .where(Letter.case_id == payload["case_id"], Letter.key == CARD_KEY)
        .order_by(Letter.id)
    ).all()
    if not pages:
        return {"cards": 0, "sha256": None}
    pdf = renderer.pdf_from_html(card_sheets(list(pages)))
    sha256 = hashlib.sha256(pdf).hexdigest()
    if session.get(LetterBlob, sha256) is None:
        session.add(LetterBlob(sha256=sha256, content=pdf))
        session.flush()
    return {"cards": len(pages), "sha256": sha256}


def card_sheet_pdf(session: Session, *, job_id: int, user: User) -> bytes:
    """The finished sheet, for the officer who asked, while the case lies in their area."""
    job = session.get(Job, job_id)
    payload = json.loads(job.payload_json) if job is not None and job.kind == CARD_SHEET_JOB else {}
    case = session.get(Case, payload.get("case_id", 0)) if payload else None
    if job is None or case is None or payload.get("by") != user.id or not user.covers(case.area_code):
        raise NotFound(N_("Not found."))
    sha256 = json.loads(job.result_json or "{}").get("sha256")
    blob = session.get(LetterBlob, sha256) if sha256 else None
    if blob is None:
        raise NotFound(N_("The batch is not ready yet."))
    return blob.content
