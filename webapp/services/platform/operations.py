"""Operations: is the database ready, what the queue and the timers look like (for /readyz and /metrics), and
the administrator's view of failed jobs with a retry."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from webapp.db import database_unavailable
from webapp.domain.base import utcnow
from webapp.domain.errors import NotFound, PermissionDenied
from webapp.domain.jobs import FAILED, QUEUED, Job
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.sla import WAITING, WorkflowTimer
from webapp.settings import PROJECT_ROOT

log = logging.getLogger(__name__)
ADMIN_ROLE = RoleName.ADMINISTRATOR
# A due timer waits for its office's working hours, so the gauge rises every evening and falls in the morning;
# overdue timers during working hours mean no worker is firing them (deploy/README.md has the alert rule).
OVERDUE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    detail: str


@dataclass(frozen=True)
class QueueFigures:
    queued: int  # jobs due now, waiting for a worker
    failed: int  # jobs given up, waiting for an administrator
    timers_overdue: int


@cache
def _migration_heads() -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def readiness(engine: Engine) -> Readiness:
    """Ready when the database answers and its schema is at the migrations' head(s)."""
    try:
        with engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        if not database_unavailable(error):
            raise
        return Readiness(False, "database unreachable")
    if current != _migration_heads():
        return Readiness(False, "database schema is not at the migrations' head: run `flask migrate`")
    return Readiness(True, "ok")


def queue_figures(session: Session, *, now: datetime | None = None) -> QueueFigures:
    now = now or utcnow()
    queued = session.scalar(select(func.count(Job.id)).where(Job.status == QUEUED, Job.run_after <= now))
    failed = session.scalar(select(func.count(Job.id)).where(Job.status == FAILED))
    overdue = session.scalar(
        select(func.count(WorkflowTimer.id)).where(
            WorkflowTimer.status == WAITING, WorkflowTimer.due_at <= now - OVERDUE_AFTER
        )
    )
    return QueueFigures(queued=queued or 0, failed=failed or 0, timers_overdue=overdue or 0)


def _check_admin(actor: User) -> None:
    if actor.role != ADMIN_ROLE:
        raise PermissionDenied(N_("Only an administrator can see and retry failed jobs."))


def failed_jobs(session: Session, *, actor: User, limit: int = 100) -> list[Job]:
    """The jobs the worker gave up on, newest first: each with its kind, attempts and last error."""
    _check_admin(actor)
    query = select(Job).where(Job.status == FAILED).order_by(Job.finished_at.desc(), Job.id.desc())
    return list(session.scalars(query.limit(limit)))


def retry_job(session: Session, *, actor: User, job_id: int) -> Job:
    """Puts a failed job back in the queue with a fresh count of attempts; its last error stays shown."""
    _check_admin(actor)
    job = session.get(Job, job_id)
    if job is None or job.status != FAILED:
        raise NotFound(N_("This job is not waiting for a retry."))
    job.status, job.attempts, job.run_after, job.finished_at = QUEUED, 0, utcnow(), None
    job.locked_by = None
    session.flush()
    log.warning("event=job_retried job=%s kind=%s by=%s", job.id, job.kind, actor.username)
    return job
