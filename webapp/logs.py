"""Structured logs: one line per record (key=value, or JSON), each carrying the request or job id it serves.

The web layer sets `request_id` for each request (and answers it as X-Request-Id); the worker sets it to the
job it runs. Library chatter (werkzeug's request lines, alembic, SpiffWorkflow) is kept to warnings.
"""

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="-")
QUIET = ("werkzeug", "alembic", "SpiffWorkflow", "spiff", "fontTools", "weasyprint", "gunicorn.access")
_HANDLER_NAME = "sala"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class KeyValueFormatter(logging.Formatter):
    """`ts=... level=... logger=... request_id=... msg="..."`, and the record's `fields` as more pairs."""

    def format(self, record: logging.LogRecord) -> str:
        pairs = _base(record)
        pairs.update(getattr(record, "fields", {}))
        line = " ".join(f"{key}={_kv(value)}" for key, value in pairs.items())
        if record.exc_info:
            line += " exception=" + _kv(self.formatException(record.exc_info))
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        values = _base(record)
        values.update(getattr(record, "fields", {}))
        if record.exc_info:
            values["exception"] = self.formatException(record.exc_info)
        return json.dumps(values, ensure_ascii=False, default=str)


def configure_logging(*, fmt: str = "kv", level: str = "INFO") -> None:
    """Installs Sala's one console handler on the root logger (again on a second call, never twice)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def _base(record: logging.LogRecord) -> dict[str, object]:
    moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
    return {
        "ts": moment,
        "level": record.levelname.lower(),
        "logger": record.name,
        "request_id": getattr(record, "request_id", request_id.get()),
        "msg": record.getMessage(),
    }


def _kv(value: object) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\n\t'):
        return text
    return json.dumps(text, ensure_ascii=False)
