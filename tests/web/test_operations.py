"""Operations: health and readiness, the request id and log line, /metrics and who may read it, the failed
jobs page with its retry, and a 503 page while the database is away."""

import logging
from dataclasses import replace

from tests.web.helpers import post, sign_in
from webapp.app import create_app
from webapp.domain.base import utcnow
from webapp.domain.jobs import FAILED, MAX_ATTEMPTS, QUEUED, Job

# Nothing listens on port 9: connecting is refused at once, as while PostgreSQL restarts.
DEAD_DATABASE = "postgresql+psycopg://sala@127.0.0.1:9/sala"


def test_healthz_answers_without_the_database_and_every_answer_carries_a_request_id(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert len(response.headers["X-Request-Id"]) == 32
    echoed = client.get("/healthz", headers={"X-Request-Id": "lb-0123456789"})
    assert echoed.headers["X-Request-Id"] == "lb-0123456789"
    forged = client.get("/healthz", headers={"X-Request-Id": "<script>x</script>"})
    assert forged.headers["X-Request-Id"] != "<script>x</script>"


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"


def test_one_log_line_per_request_names_the_request_id_and_the_user(client, caplog):
    sign_in(client, "ca.charchhuk")
    with caplog.at_level(logging.INFO, logger="sala.request"):
        response = client.get("/", headers={"X-Request-Id": "trace-12345678"})
    lines = [record for record in caplog.records if record.name == "sala.request"]
    assert len(lines) == 1
    assert lines[0].request_id == "trace-12345678" == response.headers["X-Request-Id"]
    assert lines[0].fields["user"] == "ca.charchhuk" and lines[0].fields["status"] == response.status_code


def test_metrics_show_request_latency_and_the_queue_to_this_machine_only(client, session):
    session.add(Job(kind="broken", payload_json="{}", status=FAILED, attempts=3, finished_at=utcnow()))
    session.flush()
    client.get("/healthz")
    response = client.get("/metrics")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'sala_http_request_duration_seconds_bucket{endpoint="observability.healthz"' in text
    assert "sala_jobs_queued " in text and "sala_timers_overdue " in text
    assert "sala_jobs_failed 0.0" not in text
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404


def test_metrics_with_a_token_need_the_token(settings, db_engine):
    client = create_app(replace(settings, metrics_token="s3cret-token")).test_client()
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    answered = client.get(
        "/metrics", headers={"Authorization": "Bearer s3cret-token"}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert answered.status_code == 200


def test_an_administrator_sees_a_failed_job_with_its_error_and_queues_it_again(client, session):
    job = Job(kind="letter_batch", payload_json="{}", status=FAILED, attempts=MAX_ATTEMPTS)
    job.last_error, job.finished_at = "OSError: disk full", utcnow()
    session.add(job)
    session.flush()
    sign_in(client, "admin")
    page = client.get("/operations/jobs").get_data(as_text=True)
    assert f'data-job="{job.id}"' in page and "OSError: disk full" in page
    assert post(client, f"/operations/jobs/{job.id}/retry").status_code == 302
    session.refresh(job)
    assert (job.status, job.attempts) == (QUEUED, 0)
    assert post(client, f"/operations/jobs/{job.id}/retry").status_code == 404  # not failed any more


def test_the_failed_jobs_page_is_for_administrators_only(client, session):
    sign_in(client, "sup.ac")
    assert client.get("/operations/jobs").status_code == 403
    assert "/operations/jobs" not in client.get("/").get_data(as_text=True)


def test_pages_answer_503_in_the_visitors_language_while_the_database_is_away(settings, client):
    sign_in(client, "admin", locale="km")  # signed in before the outage
    signed_in = client.get_cookie("session")
    app = create_app(replace(settings, database_url=DEAD_DATABASE))
    client = app.test_client()
    client.set_cookie("sala_lang", "km")
    client.set_cookie("session", signed_in.value)
    for path in ("/", "/cases/1", "/verify/LTR-0000-2026-00001"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "10"
        assert "សាលាមិនអាចភ្ជាប់ទៅមូលដ្ឋានទិន្នន័យ" in text
    probe = app.test_client()  # a load balancer's probe carries no session
    assert probe.get("/healthz").status_code == 200
    ready = probe.get("/readyz")
    assert ready.status_code == 503 and ready.json["detail"] == "database unreachable"
