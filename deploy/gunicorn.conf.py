"""gunicorn settings for Sala: `gunicorn -c deploy/gunicorn.conf.py webapp.wsgi:app`.

Processes x threads answer requests; each process keeps a database pool of SALA_WEB_THREADS connections plus
SALA_DB_MAX_OVERFLOW (webapp/settings.py), so one node holds at most
    SALA_WEB_PROCESSES x (SALA_WEB_THREADS + SALA_DB_MAX_OVERFLOW) connections.
"""

import os
import tempfile
from pathlib import Path

bind = os.environ.get("SALA_BIND", "127.0.0.1:8000")
# One thread of a process runs Python at a time: on CPU-bound pages more processes with fewer threads keep the
# slowest requests shorter. bench/load.py, 2 cores: 8 x 2 kept p95 < 500 ms up to 95 requests/s, 4 x 4 to 63.
workers = int(os.environ.get("SALA_WEB_PROCESSES", "8"))
threads = int(os.environ.get("SALA_WEB_THREADS", "2"))
worker_class = "gthread"
timeout = 60  # a request (an upload on a slow commune link) may take this long before its process is recycled
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle processes now and then, so a slow leak never grows for weeks
max_requests_jitter = 200
# The app is built once, in the master, and each process is forked from it: a recycled process starts in
# milliseconds instead of importing Sala again (about 2 s of CPU each time, on a node that recycles one of its
# processes every minute or so at 40 requests a second). create_app opens no connection and starts no thread;
# post_fork below drops any pooled connection all the same, so no two processes ever share one.
preload_app = True
accesslog = None  # Sala logs one structured line per request itself (webapp/web/observability.py)
errorlog = "-"
loglevel = os.environ.get("SALA_GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("SALA_FORWARDED_ALLOW_IPS", "127.0.0.1")

# prometheus-client's multiprocess mode: every process writes its figures into one folder, /metrics adds them
# up. The folder must be empty when gunicorn starts (on_starting removes old figures).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sala-metrics-")
# The master imports Sala (preload_app) before on_starting runs, and Sala's counters open their files then.
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)


def on_starting(server):
    """A previous run's figures would be added to this run's: remove them (prometheus-client's files only),
    but not the ones this master opened while importing Sala."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    for stale in folder.glob("*.db"):
        if stale.stem.rsplit("_", 1)[-1] != str(os.getpid()):
            stale.unlink()


def when_ready(server):
    """Every page template compiled once, in the master, before the processes are forked: otherwise each
    process compiles them again on its first requests (0.7 s of CPU), and again after each recycle."""
    from webapp.wsgi import app

    templates = app.jinja_env
    for name in templates.list_templates(filter_func=lambda name: name.endswith(".html")):
        templates.get_template(name)


def post_fork(server, worker):
    """A forked process must not use a database connection its master opened: it opens its own."""
    from webapp.wsgi import app  # imported already by the master (preload_app): nothing is built again

    app.extensions["sala"].db_engine.dispose(close=False)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
