"""The job queue and the worker loop: requests enqueue, workers take jobs with SKIP LOCKED and run them.

With PostgreSQL, several workers on several machines share the queue: a job row is taken by exactly one worker
(`FOR UPDATE SKIP LOCKED`) in the same transaction that runs it, so a crash returns it to the queue.
Periodic sweeps (firing due timers, reminders) run on every loop of every worker and must be safe to run
concurrently: they take their own rows the same way.
"""

import json
import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from webapp.domain.base import utcnow
from webapp.domain.jobs import DONE, FAILED, MAX_ATTEMPTS, QUEUED, Job

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    """What a long-lived worker keeps warm between jobs (a font configuration, say), created on first use."""

    worker_id: str
    resources: dict[str, Any] = field(default_factory=dict)

    def resource(self, name: str, create: Callable[[], Any]) -> Any:
        if name not in self.resources:
            self.resources[name] = create()
        return self.resources[name]


JobHandler = Callable[[Session, Mapping[str, Any], WorkerContext], Mapping[str, Any] | None]
Sweep = Callable[[Session, datetime, WorkerContext], int]


def enqueue(
    session: Session, *, kind: str, payload: Mapping[str, Any], run_after: datetime | None = None
) -> Job:
    job = Job(
        kind=kind,
        payload_json=json.dumps(dict(payload), ensure_ascii=False),
        status=QUEUED,
        run_after=run_after or utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def take_job(session: Session, *, worker_id: str, now: datetime) -> Job | None:
    """The oldest due job, locked for this transaction; other workers skip it instead of waiting.

    PostgreSQL skips rows another worker has locked. SQLite has no row locks, so the claim is also a
    conditional update on the attempt count: of two workers that read the same row, one updates it.
    """
    job = session.scalar(
        select(Job)
        .where(Job.status == QUEUED, Job.run_after <= now)
        .order_by(Job.run_after, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is None:
        return None
    claimed = session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == QUEUED, Job.attempts == job.attempts)
        .values(attempts=Job.attempts + 1, locked_by=worker_id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(job)
    return job


def run_job(session: Session, job: Job, handlers: Mapping[str, JobHandler], context: WorkerContext) -> None:
    handler = handlers.get(job.kind)
    if handler is None:
        _fail(job, f"no handler for job kind {job.kind!r}", final=True)
        return
    savepoint = session.begin_nested()
    try:
        result = handler(session, json.loads(job.payload_json), context)
        savepoint.commit()
    except Exception as error:  # a failing job must not stop the worker; it is retried, then marked failed
        savepoint.rollback()
        log.exception("Job %s (%s) failed", job.id, job.kind)
        _fail(
            job, "".join(traceback.format_exception_only(error)).strip(), final=job.attempts >= MAX_ATTEMPTS
        )
        return
    job.status, job.finished_at = DONE, utcnow()
    job.result_json = json.dumps(dict(result or {}), ensure_ascii=False, default=str)


def _fail(job: Job, message: str, *, final: bool) -> None:
    job.last_error = message[:4000]
    if final:
        job.status, job.finished_at = FAILED, utcnow()
    else:  # back off, then let any worker try again
        job.run_after = utcnow() + timedelta(seconds=30 * job.attempts)


@dataclass
class Worker:
    """One worker process: each `run_once` runs the sweeps, then due jobs, each in its own transaction."""

    session_factory: sessionmaker[Session]
    handlers: Mapping[str, JobHandler]
    sweeps: Mapping[str, Sweep]
    context: WorkerContext
    clock: Callable[[], datetime] = utcnow

    def run_once(self, *, max_jobs: int = 20) -> int:
        """Returns how much work was done (sweep results plus jobs run), so an idle worker can sleep."""
        done = 0
        for name, sweep in self.sweeps.items():
            try:
                with self.session_factory() as session, session.begin():
                    done += sweep(session, self.clock(), self.context)
            except Exception:  # logged and retried on the next loop; one bad sweep must not stop the rest
                log.exception("Sweep %s failed; it runs again on the next loop", name)
        for _ in range(max_jobs):
            with self.session_factory() as session, session.begin():
                job = take_job(session, worker_id=self.context.worker_id, now=self.clock())
                if job is None:
                    break
                run_job(session, job, self.handlers, self.context)
                done += 1
        return done
