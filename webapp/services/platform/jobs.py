"""The job queue and the worker loop: requests enqueue, workers take jobs with SKIP LOCKED and run them.

With PostgreSQL, several workers on several machines share the queue: a job row is taken by exactly one worker
(`FOR UPDATE SKIP LOCKED`). The claim counts the attempt and leases the job in its own committed transaction
before the job runs, so a job that kills its worker still counts, is taken again once its lease runs out, and
is given up after MAX_ATTEMPTS. Periodic sweeps (firing due timers, reminders) run on every loop of every
worker and must be safe to run concurrently: they take their own rows the same way.

A database outage never stops a worker: `run_forever` waits it out with exponential backoff and carries on.
"""

import json
import logging
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from webapp.db import database_unavailable
from webapp.domain.base import utcnow
from webapp.domain.jobs import DONE, FAILED, MAX_ATTEMPTS, QUEUED, Job

log = logging.getLogger(__name__)

# A job not finished by then (real time, not the worker's clock, which tests move) is presumed to have lost
# its worker and may be taken again; a running job renews it at every checkpoint.
LEASE = timedelta(minutes=10)
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 30.0  # seconds between reconnection attempts while the database is away

JOBS_RUN = Counter("sala_jobs_run", "Jobs run by this worker", ["kind", "outcome"])
DB_RECONNECTS = Counter("sala_worker_db_unavailable", "Worker loops that found the database unavailable")


def _no_checkpoint(progress: Mapping[str, Any] | None = None) -> None:
    """Outside a worker (tests, a drain in one transaction) a checkpoint has nothing to commit."""


@dataclass
class WorkerContext:
    """What a long-lived worker keeps warm between jobs (a font configuration, say), created on first use.

    `checkpoint(progress)` lets a long job commit what it has done so far (and renew its lease); the worker
    sets it around each job, and it does nothing elsewhere.
    """

    worker_id: str
    resources: dict[str, Any] = field(default_factory=dict)
    checkpoint: Callable[..., None] = _no_checkpoint

    def resource(self, name: str, create: Callable[[], Any]) -> Any:
        if name not in self.resources:
            self.resources[name] = create()
        return self.resources[name]


JobHandler = Callable[[Session, Mapping[str, Any], WorkerContext], Mapping[str, Any] | None]
Sweep = Callable[[Session, datetime, WorkerContext], int]


def enqueue(
    session: Session, *, kind: str, payload: Mapping[str, Any], run_after: datetime | None = None
) -> Job:
    """Adds the job to the session: it is written, and has its id, with the caller's next flush (a step
    that queues letters is written by one flush, not one more per letter)."""
    job = Job(
        kind=kind,
        payload_json=json.dumps(dict(payload), ensure_ascii=False),
        status=QUEUED,
        run_after=run_after or utcnow(),
    )
    session.add(job)
    return job


def take_job(session: Session, *, worker_id: str, now: datetime) -> Job | None:
    """The oldest due job, claimed: its attempt counted and its lease taken. Commit before running it.

    PostgreSQL skips rows another worker has locked. SQLite has no row locks, so the claim is also a
    conditional update on the attempt count: of two workers that read the same row, one updates it.
    A job already started MAX_ATTEMPTS times without finishing is marked failed instead (its status tells).
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
        .values(attempts=Job.attempts + 1, locked_by=worker_id, run_after=utcnow() + LEASE)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(job)
    if job.attempts > MAX_ATTEMPTS:
        started = job.attempts - 1
        note = f"given up: started {started} times without finishing (its worker stopped while running it)"
        _fail(job, f"{note}\n{job.last_error or ''}".strip(), final=True)
        job.attempts = started
        JOBS_RUN.labels(job.kind, "given_up").inc()
    return job


def run_job(session: Session, job: Job, handlers: Mapping[str, JobHandler], context: WorkerContext) -> None:
    """Runs a claimed job inside the caller's transaction (a savepoint undoes a failing handler's work)."""
    if job.status != QUEUED:
        return
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
        if database_unavailable(error):
            raise
        log.exception("Job %s (%s) failed", job.id, job.kind)
        _fail(job, _describe(error), final=job.attempts >= MAX_ATTEMPTS)
        return
    _done(job, result)


def _done(job: Job, result: Mapping[str, Any] | None) -> None:
    job.status, job.finished_at = DONE, utcnow()
    job.result_json = json.dumps(dict(result or {}), ensure_ascii=False, default=str)
    JOBS_RUN.labels(job.kind, "done").inc()


def _fail(job: Job, message: str, *, final: bool) -> None:
    job.last_error = message[:4000]
    if final:
        job.status, job.finished_at = FAILED, utcnow()
        JOBS_RUN.labels(job.kind, "failed").inc()
    else:  # back off, then let any worker try again
        job.run_after = utcnow() + timedelta(seconds=30 * job.attempts)
        JOBS_RUN.labels(job.kind, "retry").inc()


def _describe(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(error)).strip()


@dataclass
class Worker:
    """One worker process: each `run_once` runs the sweeps, then due jobs, each in its own transactions."""

    session_factory: sessionmaker[Session]
    handlers: Mapping[str, JobHandler]
    sweeps: Mapping[str, Sweep]
    context: WorkerContext
    clock: Callable[[], datetime] = utcnow

    def run_once(self, *, max_jobs: int = 20) -> int:
        """Returns how much work was done (sweep results plus jobs run), so an idle worker can sleep.

        Raises what `webapp.db.database_unavailable` recognises, so the loop can wait for the database."""
        done = 0
        for name, sweep in self.sweeps.items():
            try:
                with self.session_factory() as session, session.begin():
                    done += sweep(session, self.clock(), self.context)
            except (
                Exception
            ) as error:  # logged and retried on the next loop; one bad sweep must not stop the rest
                if database_unavailable(error):
                    raise
                log.exception("Sweep %s failed; it runs again on the next loop", name)
        for _ in range(max_jobs):
            with self.session_factory() as session, session.begin():
                job = take_job(session, worker_id=self.context.worker_id, now=self.clock())
                if job is None:
                    break
                job_id, runnable = job.id, job.status == QUEUED
            if runnable:
                self._run(job_id)
            done += 1
        return done

    def _run(self, job_id: int) -> None:
        """Runs a claimed job (its row locked until a checkpoint); `checkpoint` commits between chunks."""
        with self.session_factory() as session:
            try:
                job = self._lock(session, job_id)
                if job is None:
                    return
                handler = self.handlers.get(job.kind)
                if handler is None:
                    _fail(job, f"no handler for job kind {job.kind!r}", final=True)
                    session.commit()
                    return
                self.context.checkpoint = lambda progress=None: self._checkpoint(session, job_id, progress)
                result = handler(session, json.loads(job.payload_json), self.context)
                job = self._lock(session, job_id)
                if job is None:  # ran past its lease without a checkpoint, and another worker took it
                    session.rollback()
                    return
                _done(job, result)
                session.commit()
            except Exception as error:
                session.rollback()
                if database_unavailable(error):
                    raise  # the job's lease runs out and another loop takes it again
                log.exception("Job %s failed", job_id)
                self._record_failure(job_id, _describe(error))
            finally:
                self.context.checkpoint = _no_checkpoint

    def _lock(self, session: Session, job_id: int) -> Job | None:
        job = session.scalar(select(Job).where(Job.id == job_id).with_for_update())
        if job is None or job.status != QUEUED or job.locked_by != self.context.worker_id:
            return None  # another worker took it after this one's lease ran out
        return job

    def _checkpoint(self, session: Session, job_id: int, progress: Mapping[str, Any] | None) -> None:
        """Commits the job's work so far with its progress and a renewed lease. No transaction stays open
        after it (the lease keeps other workers off the job), so a job may lay out a PDF for minutes."""
        job = session.get(Job, job_id)
        assert job is not None
        job.run_after = utcnow() + LEASE
        if progress is not None:
            job.result_json = json.dumps(dict(progress), ensure_ascii=False, default=str)
        session.commit()

    def _record_failure(self, job_id: int, message: str) -> None:
        with self.session_factory() as session, session.begin():
            job = session.get(Job, job_id)
            if job is not None and job.status == QUEUED:
                _fail(job, message, final=job.attempts >= MAX_ATTEMPTS)

    def run_forever(
        self,
        *,
        stopping: Callable[[], bool],
        interval: float = 2.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        """Loops until `stopping()`; a database outage or an unexpected error is waited out, never an exit."""
        delay, outage_since = 0.0, None
        while not stopping():
            try:
                done = self.run_once()
            except Exception as error:
                delay = min(BACKOFF_MAX, max(BACKOFF_FIRST, delay * 2))
                if database_unavailable(error):
                    DB_RECONNECTS.inc()
                    outage_since = outage_since or time.monotonic()
                    log.warning(
                        "event=database_unavailable worker=%s retry_in=%.1fs error=%r",
                        self.context.worker_id,
                        delay,
                        _describe(error).splitlines()[0][:300],
                    )
                else:
                    log.exception("Worker loop failed; retrying in %.1f s", delay)
                sleep(delay)
                continue
            if outage_since is not None:
                log.warning(
                    "event=database_back worker=%s after=%.1fs",
                    self.context.worker_id,
                    time.monotonic() - outage_since,
                )
            delay, outage_since = 0.0, None
            if not done:
                sleep(interval)
