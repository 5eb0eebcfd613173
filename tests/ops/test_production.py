"""Production shape on one machine: two gunicorn instances (two processes each) and three `flask worker`
processes on one real PostgreSQL. Officers' requests go through both; every job runs exactly once; a
PostgreSQL restart makes the pages answer 503 meanwhile, and the workers carry on by themselves after it."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.pg_server import _pg_ctl, _run, start_postgres
from webapp.db import make_engine
from webapp.domain.jobs import DONE, Job
from webapp.services.assembly.bootstrap import bootstrap
from webapp.services.correspondence.batches import JOB_KIND
from webapp.services.platform.jobs import enqueue
from webapp.settings import PROJECT_ROOT, Settings

BIN = Path(sys.executable).parent
PASSWORD = "sala-demo"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def postgres():
    try:
        server = start_postgres()
    except RuntimeError as error:
        pytest.fail(f"PostgreSQL could not start: {error}")
    yield server
    server.stop()


class Officer:
    """A browser's cookies and CSRF token, talking to any node (the nodes share the secret key)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, form_page: str, data: dict[str, str]) -> int:
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(form_page)[1])
        assert token is not None
        body = urllib.parse.urlencode({**data, "csrf_token": token.group(1)}).encode()
        try:
            with self.opener.open(url, data=body, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def _wait_ready(url: str, processes: list[subprocess.Popen], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "a process stopped while starting"
        with suppress(OSError), urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready")


def _wait_jobs_done(engine, ids: list[int], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with suppress(Exception), Session(engine) as session:
            statuses = session.scalars(select(Job.status).where(Job.id.in_(ids))).all()
            if statuses and set(statuses) == {DONE}:
                return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError("the jobs were not all done in time")


def test_two_gunicorns_and_three_workers_on_one_postgresql(postgres, tmp_path):
    url = postgres.create_database("sala_ops")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PG", "SALA_", "PROMETHEUS"))},
        "DATABASE_URL": url,
        "SALA_SECRET_KEY": "ops-test",
        "SALA_INSTANCE_PATH": str(tmp_path),
        "SALA_WEB_PROCESSES": "2",
        "SALA_WEB_THREADS": "2",
    }
    engine = make_engine(url)
    processes: list[subprocess.Popen] = []
    nodes = []
    log = (tmp_path / "processes.log").open("w")
    try:
        for n in range(2):  # the web nodes start (import Sala) while the database is prepared
            port = _free_port()
            node_env = {
                **env,
                "SALA_BIND": f"127.0.0.1:{port}",
                "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics{n}"),
            }
            command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "webapp.wsgi:app"]
            processes.append(
                subprocess.Popen(command, cwd=PROJECT_ROOT, env=node_env, stdout=log, stderr=log)
            )
            nodes.append(f"http://127.0.0.1:{port}")
        bootstrap(
            Settings(database_url=url, secret_key="ops-test", instance_path=tmp_path), provinces=("17",)
        )
        for _ in range(3):
            command = [str(BIN / "flask"), "--app", "webapp.app", "worker", "--interval", "0.2"]
            processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log))
        for node in nodes:
            _wait_ready(node, processes)

        officer = Officer()
        assert officer.post(
            f"{nodes[0]}/sign-in",
            f"{nodes[0]}/sign-in",
            {
                "username": "ca.charchhuk",
                "password": PASSWORD,
            },
        ) in (200, 302)
        status, cases_page = officer.get(f"{nodes[1]}/cases")  # signed in on one node, served by the other
        assert status == 200
        case_links = sorted(set(re.findall(r'href="(/cases/\d+)"', cases_page)))
        assert case_links
        for node in nodes:
            assert officer.get(f"{node}{case_links[0]}")[0] == 200
        batch = {"commune": "170101", "start": date.today().isoformat(), "end": date.today().isoformat()}
        # 200: the redirect after the POST was followed (a refused form answers 422)
        assert officer.post(f"{nodes[1]}/letters/batch", f"{nodes[1]}/letters/batch", batch) == 200

        with Session(engine) as session, session.begin():
            empty = {"commune": "170101", "start": "2000-01-01", "end": "2000-01-02", "by": 0}
            for _ in range(40):
                enqueue(session, kind=JOB_KIND, payload=empty)
        with Session(engine) as session:
            ids = list(session.scalars(select(Job.id)))
        _wait_jobs_done(engine, ids, 60)
        with Session(engine) as session:
            jobs = session.scalars(select(Job)).all()
            assert {(job.status, job.attempts) for job in jobs} == {(DONE, 1)}  # each ran exactly once
            assert len({job.locked_by for job in jobs}) >= 2  # shared among the workers

        _, metrics = officer.get(f"{nodes[0]}/metrics")
        assert "sala_http_request_duration_seconds_bucket" in metrics and "sala_jobs_queued 0.0" in metrics

        _pg_ctl_run(postgres, "stop", "--mode=fast")
        assert officer.get(f"{nodes[0]}{case_links[0]}")[0] == 503
        assert urllib.request.urlopen(f"{nodes[1]}/healthz", timeout=5).status == 200
        time.sleep(2)  # the workers meet the outage and back off
        _pg_ctl_run(postgres, "start", f"--log={postgres.root / 'server.log'}")
        restarted = time.monotonic()
        with Session(engine) as session, session.begin():
            queued = [enqueue(session, kind=JOB_KIND, payload=empty) for _ in range(6)]
            session.flush()
            after = [job.id for job in queued]
        _wait_jobs_done(engine, after, 45)
        reconnected = time.monotonic() - restarted
        assert all(p.poll() is None for p in processes), "a process stopped by itself"
        assert officer.get(f"{nodes[1]}{case_links[0]}")[0] == 200
        print(f"\nworkers back at work {reconnected:.1f} s after PostgreSQL restarted")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        engine.dispose()
    output = (tmp_path / "processes.log").read_text()
    assert "event=database_unavailable" in output and "event=database_back" in output  # logged, not silent


def _pg_ctl_run(server, action: str, *options: str) -> None:
    _run(
        _pg_ctl(server.bin_dir, server.root, action, "--wait", "--timeout=60", *options),
        server.root,
        server.as_postgres,
    )
