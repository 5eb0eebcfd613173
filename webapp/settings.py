"""Sala's settings: one frozen dataclass. Settings.from_env() is the only reader of os.environ."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    instance_path: Path = PROJECT_ROOT / "instance"
    workflows_dir: Path = PROJECT_ROOT / "workflows"
    forms_dir: Path = PROJECT_ROOT / "forms"
    locales_dir: Path = PROJECT_ROOT / "locales"
    gazetteer_dir: Path = PROJECT_ROOT / "data" / "gazetteer"
    max_upload_bytes: int = 5 * 1024 * 1024
    default_locale: str = "km"
    locales: tuple[str, ...] = ("km", "en")
    testing: bool = False
    csrf_enabled: bool = True
    secure_cookies: bool = False
    proxy_hops: int = 0  # reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted
    public_url: str | None = None  # printed in letters' QR codes; else the address the officer uses
    session_idle_minutes: int = 30  # a session without a request for this long is signed out
    session_max_hours: int = 12  # and any session ends this long after signing in
    # Production serving (deploy/): threads per gunicorn process size the database pool (see pool_options).
    web_threads: int = 2
    db_pool_size: int | None = None  # None: web_threads, one connection per thread
    db_max_overflow: int = 2
    metrics_token: str | None = None  # /metrics answers loopback callers, or this bearer token
    log_format: str = "kv"  # "kv" (key=value) or "json": one line per request and per log record
    log_level: str = "INFO"
    metrics_multiprocess_dir: str | None = None  # prometheus-client's PROMETHEUS_MULTIPROC_DIR (gunicorn)
    # Notifications: an SMTP server for e-mail and an SMS or Telegram gateway; unset, the demo outbox logs.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "sala@localhost"
    smtp_starttls: bool = False
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None
    sms_gateway_timeout: float = 5.0
    # NSSF registration checks (services/nssf/adapters): None uses the local fakes the demo and tests run on.
    nssf_business_registry_url: str | None = None
    nssf_national_id_url: str | None = None
    nssf_service_timeout: float = 3.0
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        instance = Path(env.get("SALA_INSTANCE_PATH", PROJECT_ROOT / "instance"))
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'sala.sqlite3'}"
        return cls(
            database_url=database_url,
            secret_key=env.get("SALA_SECRET_KEY") or _instance_secret(instance),
            instance_path=instance,
            max_upload_bytes=int(env.get("SALA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)),
            secure_cookies=env.get("SALA_SECURE_COOKIES", "") == "1",
            proxy_hops=int(env.get("SALA_PROXY_HOPS", 0)),
            public_url=env.get("SALA_PUBLIC_URL") or None,
            session_idle_minutes=int(env.get("SALA_SESSION_IDLE_MINUTES", 30)),
            session_max_hours=int(env.get("SALA_SESSION_MAX_HOURS", 12)),
            web_threads=int(env.get("SALA_WEB_THREADS", 2)),
            db_pool_size=int(env["SALA_DB_POOL_SIZE"]) if env.get("SALA_DB_POOL_SIZE") else None,
            db_max_overflow=int(env.get("SALA_DB_MAX_OVERFLOW", 2)),
            metrics_token=env.get("SALA_METRICS_TOKEN") or None,
            log_format=env.get("SALA_LOG_FORMAT", "kv"),
            log_level=env.get("SALA_LOG_LEVEL", "INFO"),
            metrics_multiprocess_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
            smtp_host=env.get("SALA_SMTP_HOST") or None,
            smtp_port=int(env.get("SALA_SMTP_PORT", 25)),
            smtp_user=env.get("SALA_SMTP_USER") or None,
            smtp_password=env.get("SALA_SMTP_PASSWORD") or None,
            smtp_from=env.get("SALA_SMTP_FROM") or "sala@localhost",
            smtp_starttls=env.get("SALA_SMTP_STARTTLS", "") == "1",
            sms_gateway_url=env.get("SALA_SMS_GATEWAY_URL") or None,
            sms_gateway_token=env.get("SALA_SMS_GATEWAY_TOKEN") or None,
            sms_gateway_timeout=float(env.get("SALA_SMS_GATEWAY_TIMEOUT", 5)),
            nssf_business_registry_url=env.get("SALA_NSSF_BUSINESS_REGISTRY_URL") or None,
            nssf_national_id_url=env.get("SALA_NSSF_NATIONAL_ID_URL") or None,
            nssf_service_timeout=float(env.get("SALA_NSSF_SERVICE_TIMEOUT", 3.0)),
        )

    def pool_options(self) -> dict[str, int]:
        """Connections one process may hold: a thread needs one at a time, plus a small overflow for the odd
        extra (a /metrics scrape, a health check). Keep web processes x (pool + overflow) + workers x 2 under
        PostgreSQL's max_connections (deploy/README.md has the sum)."""
        return {"pool_size": self.db_pool_size or self.web_threads, "max_overflow": self.db_max_overflow}


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/ so sessions survive restarts without any configuration."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
