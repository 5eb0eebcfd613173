"""The job queue: jobs run once, failures retry then stop, and two workers never run one job twice."""

import threading
from collections import Counter

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from webapp.domain.jobs import DONE, FAILED, MAX_ATTEMPTS, QUEUED, Job
from webapp.services.platform.jobs import Worker, WorkerContext, enqueue


def _worker(factory, handlers, sweeps=None, name="w1"):
    return Worker(
        session_factory=factory, handlers=handlers, sweeps=sweeps or {}, context=WorkerContext(name)
    )


def test_a_queued_job_runs_once_and_keeps_its_result(connection):
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    with factory() as session:
        job_id = enqueue(session, kind="double", payload={"n": 21}).id
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
        job_id = enqueue(session, kind="broken", payload={}).id
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
        ids = [enqueue(session, kind="count", payload={"i": i}).id for i in range(60)]
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
