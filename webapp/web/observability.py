"""What operators watch: a request id and one structured log line per request, /healthz (the process is up),
/readyz (the database answers, its schema at head) and Prometheus metrics at /metrics.

With several gunicorn processes, prometheus-client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by
deploy/gunicorn.conf.py) adds up every process's request histogram; the queue figures are read from the
database at scrape time, so any process answers the same.
"""

import hmac
import logging
import re
import time
import uuid
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, g, request
from flask.typing import ResponseReturnValue
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from webapp.logs import request_id
from webapp.services.platform.operations import queue_figures, readiness
from webapp.web.runtime import runtime

bp = Blueprint("observability", __name__)
log = logging.getLogger("sala.request")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOOPBACK = ("127.0.0.1", "::1")
REQUEST_SECONDS = Histogram(
    "sala_http_request_duration_seconds",
    "Time to answer a request, by endpoint",
    ["endpoint", "method", "status"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16),
)
UNWATCHED = {"observability.metrics", "static"}


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start() -> None:
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    request_id.set(g.request_id)


def _forget(_error: BaseException | None = None) -> None:
    request_id.set("-")


def _finish(response: Response) -> Response:
    """One line per request; the user is named only when the request loaded it (no query just to log)."""
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "unmatched"
    response.headers["X-Request-Id"] = g.request_id
    if endpoint not in UNWATCHED:
        REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(seconds)
    user = g.get("_login_user")
    fields = {
        "method": request.method,
        "path": request.path,
        "endpoint": endpoint,
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1),
        "user": getattr(user, "username", None) or "-",
    }
    log.info("request", extra={"fields": fields, "request_id": g.request_id})
    return response


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process answers; the database is not asked (a load balancer restarts nothing because of it)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Take this node into the load balancer only when its database answers and is migrated."""
    state = readiness(runtime().db_engine)
    return {"status": "ready" if state.ready else "not ready", "detail": state.detail}, (
        200 if state.ready else 503
    )


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    if not _may_scrape():
        abort(404)
    body = generate_latest(_process_registry()) + generate_latest(_database_registry())
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _may_scrape() -> bool:
    """With a token set, only a caller that sends it; without one, only this machine, not through a proxy."""
    token = runtime().settings.metrics_token
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


def _process_registry() -> CollectorRegistry:
    if runtime().settings.metrics_multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=runtime().settings.metrics_multiprocess_dir)
        return registry
    return REGISTRY


class _DatabaseFigures(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        with runtime().session_factory() as session:
            figures = queue_figures(session)
        yield GaugeMetricFamily("sala_jobs_queued", "Jobs due and waiting for a worker", value=figures.queued)
        yield GaugeMetricFamily(
            "sala_jobs_failed", "Jobs given up, waiting for an administrator", figures.failed
        )
        yield GaugeMetricFamily(
            "sala_timers_overdue",
            "Waiting BPMN timers due more than 5 minutes ago",
            value=figures.timers_overdue,
        )


def _database_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DatabaseFigures())
    return registry
