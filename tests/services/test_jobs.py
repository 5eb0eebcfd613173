"""The job queue: jobs run once, failures retry then stop, and two workers never run one job twice."""

import json
import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from webapp.domain.jobs import DONE, FAILED, MAX_ATTEMPTS, QUEUED, Job
from webapp.services.platform.jobs import Worker, WorkerContext, enqueue


def _queued(session: Session, **job: Any) -> int:
    """A queued job's id: enqueue adds the job, the flush writes it."""
    queued = enqueue(session, **job)
    session.flush()
    return queued.id


def _worker(factory, handlers, sweeps=None, name="w1"):
    return Worker(
        session_factory=factory, handlers=handlers, sweeps=sweeps or {}, context=WorkerContext(name)
    )


def test_a_queued_job_runs_once_and_keeps_its_result(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = _queued(session, kind="double", payload={"n": 21})
        session.commit()
    worker = _worker(factory, {"double": lambda session, payload, context: {"n": payload["n"] * 2}})
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    with factory() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.result_json, job.attempts) == (DONE, '{"n": 42}', 1)


def test_a_failing_job_is_retried_then_marked_failed_and_the_worker_goes_on(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = _queued(session, kind="broken", payload={})
        session.commit()

    def broken(session, payload, context):
        raise ValueError("template missing")

    worker = _worker(factory, {"broken": broken})
    for _ in range(MAX_ATTEMPTS):
        with factory() as session:
            session.get(Job, job_id).run_after = session.get(Job, job_id).created_at  # due again at once
            session.commit()
        worker.run_once()
    with factory() as session:
        job = session.get(Job, job_id)
        assert job.status == FAILED and "template missing" in job.last_error and job.attempts == MAX_ATTEMPTS


def test_a_sweep_that_fails_does_not_stop_the_next_sweep(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    ran = []

    def bad(session, now, context):
        raise RuntimeError("boom")

    def good(session, now, context):
        ran.append(now)
        return 1

    assert _worker(factory, {}, {"bad": bad, "good": good}).run_once() == 1
    assert len(ran) == 1


def test_two_workers_side_by_side_run_every_job_exactly_once(db_engine):
    with Session(db_engine) as session, session.begin():
        ids = [_queued(session, kind="count", payload={"i": i}) for i in range(60)]
    seen: Counter[int] = Counter()
    lock = threading.Lock()

    def count(session, payload, context):
        with lock:
            seen[payload["i"]] += 1

    factory = sessionmaker(bind=db_engine)
    workers = [_worker(factory, {"count": count}, name=f"w{n}") for n in range(2)]

    def drain(worker):
        while worker.run_once(max_jobs=5):
            pass

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert sorted(seen) == list(range(60)) and set(seen.values()) == {1}
        with Session(db_engine) as session:
            statuses = session.scalars(select(Job.status).where(Job.id.in_(ids))).all()
            assert set(statuses) == {DONE} and QUEUED not in statuses
    finally:
        with Session(db_engine) as session, session.begin():
            session.execute(delete(Job).where(Job.id.in_(ids)))


def test_a_job_that_kills_its_worker_has_its_attempt_counted_and_is_given_up(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = _queued(session, kind="fatal", payload={})
        session.commit()

    class WorkerKilled(BaseException):  # stands for kill -9 or an out-of-memory kill: nothing is caught
        pass

    def fatal(session, payload, context):
        raise WorkerKilled

    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(WorkerKilled):
            _worker(factory, {"fatal": fatal}, name=f"w{attempt}").run_once()
        with factory() as session:
            job = session.get(Job, job_id)
            assert (job.status, job.attempts) == (QUEUED, attempt)  # counted although the run never ended
            job.run_after = job.created_at  # its lease has run out
            session.commit()
    assert _worker(factory, {"fatal": fatal}).run_once() == 1  # not run again: given up
    with factory() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.attempts) == (FAILED, MAX_ATTEMPTS) and "given up" in job.last_error


def test_a_long_job_commits_its_progress_at_each_checkpoint(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = _queued(session, kind="long", payload={})
        session.commit()
    seen = []

    def long(session, payload, context):
        for chunk in range(3):
            context.checkpoint({"done": chunk})
            with factory() as other:  # what a checkpoint committed is visible to others
                seen.append(json.loads(other.get(Job, job_id).result_json))
        return {"done": 3}

    _worker(factory, {"long": long}).run_once()
    assert seen == [{"done": 0}, {"done": 1}, {"done": 2}]
    with factory() as session:
        assert session.get(Job, job_id).status == DONE


def test_the_worker_waits_out_a_database_outage_and_carries_on(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = _queued(session, kind="double", payload={"n": 2})
        session.commit()
    outage = {"left": 4}

    def flaky_factory():
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("connect", {}, Exception("connection refused"))
        return factory()

    worker = _worker(flaky_factory, {"double": lambda session, payload, context: {"n": 4}})
    sleeps, loops = [], iter(range(7))
    worker.run_forever(stopping=lambda: next(loops, None) is None, interval=1.0, sleep=sleeps.append)
    assert sleeps[:4] == [0.5, 1.0, 2.0, 4.0]  # exponential backoff while the database is away
    with factory() as session:
        assert session.get(Job, job_id).status == DONE
