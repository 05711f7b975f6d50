"""Every setting of Drop, read once from the environment and validated at start."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

# Envoy's idle timeout on the event stream route (drop_server/edge.py): heartbeats must come
# sooner. Mobile networks and load balancers commonly cut connections idle for 60 s or more.
STREAM_IDLE_SECONDS = 60.0
SESSION_RECHECK_SECONDS = 5.0
DEV_SECRET_FILE = "dev-jwt-secret"  # noqa: S105 (a file name, not a secret)
DEV_WEBHOOK_KEY_FILE = "dev-webhook-secrets-key"
MIN_SECRET_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
BANK_PROVIDERS = ("sandbox",)
CARD_ISSUERS = ("sandbox",)
# Shared by Drop and the local BankID sandbox only; a real issuer needs its own secret.
SANDBOX_CLIENT_SECRET = "drop-bankid-sandbox"  # noqa: S105


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Role(StrEnum):
    """What one `drop serve` runs: the API (gRPC workers + Envoy), the job queue's workers, or
    both (the embedded default)."""

    ALL = "all"
    API = "api"
    JOBS = "jobs"

    @property
    def api(self) -> bool:
        return self is not Role.JOBS

    @property
    def jobs(self) -> bool:
        return self is not Role.API


@dataclass(frozen=True)
class Settings:
    mode: Mode
    database_url: str | None
    data_dir: Path
    host: str
    http_port: int
    grpc_port: int
    envoy_admin_port: int
    workers: int
    jwt_secret: str
    password_login: bool
    log_level: str
    bank_provider: str = "sandbox"
    card_issuer: str = "sandbox"
    # Sandbox bank: clearing delay of remittances (0 turns the background clearing off) and
    # the payment total it always refuses, so the failure path can be tried by hand.
    sandbox_settle_seconds: float = 20.0
    sandbox_reject_total: Decimal = Decimal("4040.00")
    # The sandbox bank's own database (a separate party); None: the tables beside Drop's.
    sandbox_bank_database_url: str | None = None
    # Reconciliation: payments without a final answer from the bank for this long are resolved
    # against the bank, checked every interval.
    reconcile_after_seconds: float = 30.0
    reconcile_interval_seconds: float = 5.0
    # BankID (OIDC). No issuer: `drop serve` runs the local BankID sandbox on the port below.
    bankid_issuer: str | None = None
    bankid_client_id: str = "drop"
    bankid_client_secret: str = SANDBOX_CLIENT_SECRET
    bankid_redirect_uri: str = ""
    bankid_sandbox_port: int = 8091
    app_url: str = "/"
    # Where the gRPC workers listen: loopback unless set. Envoy (DROP_HOST) is the public door.
    grpc_host: str = "127.0.0.1"
    # Browser origins allowed to call the API from another origin (CORS, with credentials).
    cors_origins: tuple[str, ...] = ()
    role: Role = Role.ALL
    # DROP_LOG_FORMAT: json (one object per line), text, or auto (text on a terminal).
    log_format: str = "auto"
    # DROP_METRICS_PORT: Prometheus /metrics of the application (0: off); DROP_METRICS_HOST.
    metrics_port: int = 9464
    metrics_host: str = "127.0.0.1"
    # DROP_ENVOY_ACCESS_LOG: where Envoy writes its JSON access log (a path, or /dev/stdout).
    envoy_access_log: str = ""
    # DROP_RATELIMIT_SERVICE: host:port of the Envoy rate limit service (limits across
    # instances); None: Envoy's local buckets only (the embedded default).
    ratelimit_service: str | None = None
    # Jobs worker processes started for the `jobs` and `all` roles.
    job_workers: int = 1
    # DROP_STREAM_HEARTBEAT_SECONDS: an open event stream gets a heartbeat after this long
    # without events (below the stream route's 60 s idle timeout).
    stream_heartbeat_seconds: float = 25.0
    # DROP_WEBHOOK_SECRETS_KEY: encrypts webhook signing secrets at rest (AES-GCM).
    webhook_secrets_key: str = ""
    # DROP_WEBHOOK_ALLOW_PRIVATE: webhooks may target private, loopback and link-local
    # addresses (development and tests only; refused in production).
    webhook_allow_private: bool = False
    # DROP_WEBHOOK_RETRY_BASE_SECONDS: the unit of the retry schedule (1, 5, 30, 120, 480 x).
    webhook_retry_base_seconds: float = 60.0

    @property
    def stream_session_check_seconds(self) -> float:
        """How often open event streams' sessions are rechecked (one query per streams
        process, whatever the number of streams): a revoked session's stream ends within it."""
        return min(self.stream_heartbeat_seconds, SESSION_RECHECK_SECONDS)

    @property
    def production(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a port number (1-65535), got {raw!r}")
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not minimum <= value <= 86400:
        raise ConfigError(f"{name} must be {minimum:g}-86400 seconds, got {raw!r}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """DROP_CORS_ORIGINS: comma-separated exact origins (`https://app.drop.no`). Credentials
    are allowed for them, so a wildcard would hand every site the user's session: refused."""
    origins = []
    for raw in (env.get("DROP_CORS_ORIGINS") or "").split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise ConfigError(
                f"DROP_CORS_ORIGINS must list origins like https://app.example.no, got {raw!r}"
            )
        origins.append(origin)
    return tuple(origins)


def _dev_secret(data_dir: Path, name: str = DEV_SECRET_FILE) -> str:
    """A random secret kept in the data directory, so sessions survive restarts and every
    worker process signs with the same key."""
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    raw_mode = env.get("DROP_ENV", Mode.DEVELOPMENT.value)
    try:
        mode = Mode(raw_mode)
    except ValueError:
        raise ConfigError(f"DROP_ENV must be development or production, got {raw_mode!r}") from None

    data_dir = Path(env.get("DROP_DATA_DIR") or ".drop").expanduser().resolve()
    database_url = env.get("DATABASE_URL") or None
    if database_url is not None and not database_url.startswith(("postgresql", "postgres://")):
        raise ConfigError("DATABASE_URL must be a postgresql:// URL")

    raw_workers = env.get("DROP_WORKERS") or str(os.cpu_count() or 1)
    if not raw_workers.isdigit() or not 1 <= int(raw_workers) <= 64:
        raise ConfigError(f"DROP_WORKERS must be a number from 1 to 64, got {raw_workers!r}")

    raw_role = env.get("DROP_ROLE") or Role.ALL.value
    try:
        role = Role(raw_role)
    except ValueError:
        raise ConfigError(f"DROP_ROLE must be all, api or jobs, got {raw_role!r}") from None
    log_format = (env.get("DROP_LOG_FORMAT") or "auto").lower()
    if log_format not in ("auto", "json", "text"):
        raise ConfigError(f"DROP_LOG_FORMAT must be auto, json or text, got {log_format!r}")
    raw_metrics_port = env.get("DROP_METRICS_PORT") or "9464"
    if not raw_metrics_port.isdigit() or int(raw_metrics_port) > 65535:
        raise ConfigError(
            f"DROP_METRICS_PORT must be a port number (0: off), got {raw_metrics_port!r}"
        )
    ratelimit_service = env.get("DROP_RATELIMIT_SERVICE") or None
    if ratelimit_service is not None:
        from drop_server.edge_global_limits import parse_service

        try:
            parse_service(ratelimit_service)
        except ValueError as error:
            raise ConfigError(str(error)) from None
    raw_job_workers = env.get("DROP_JOB_WORKERS") or "1"
    if not raw_job_workers.isdigit() or not 1 <= int(raw_job_workers) <= 16:
        raise ConfigError(
            f"DROP_JOB_WORKERS must be a number from 1 to 16, got {raw_job_workers!r}"
        )

    log_level = (env.get("DROP_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"DROP_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

    secret = env.get("DROP_JWT_SECRET") or ""
    if mode is Mode.PRODUCTION:
        if len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"DROP_JWT_SECRET is required in production and must be at least "
                f"{MIN_SECRET_LENGTH} characters"
            )
        if database_url is None:
            raise ConfigError(
                "DATABASE_URL is required in production (embedded PostgreSQL is for development)"
            )
    elif not secret:
        secret = _dev_secret(data_dir)
    elif len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"DROP_JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters")

    ports = {
        "DROP_HTTP_PORT": _port(env, "DROP_HTTP_PORT", 8080),
        "DROP_GRPC_PORT": _port(env, "DROP_GRPC_PORT", 50051),
        "DROP_ENVOY_ADMIN_PORT": _port(env, "DROP_ENVOY_ADMIN_PORT", 9901),
    }
    if len(set(ports.values())) != len(ports):
        raise ConfigError(f"the ports must differ: {ports}")

    provider = env.get("DROP_BANK_PROVIDER") or "sandbox"
    if provider not in BANK_PROVIDERS:
        raise ConfigError(f"DROP_BANK_PROVIDER must be one of {', '.join(BANK_PROVIDERS)}")
    issuer_name = env.get("DROP_CARD_ISSUER") or "sandbox"
    if issuer_name not in CARD_ISSUERS:
        raise ConfigError(f"DROP_CARD_ISSUER must be one of {', '.join(CARD_ISSUERS)}")
    settle_seconds = _seconds(env, "DROP_SANDBOX_SETTLE_SECONDS", 20.0, minimum=0)
    reconcile_after = _seconds(env, "DROP_RECONCILE_AFTER_SECONDS", 30.0, minimum=0)
    reconcile_interval = _seconds(env, "DROP_RECONCILE_INTERVAL_SECONDS", 5.0, minimum=0.1)
    bank_database_url = env.get("DROP_SANDBOX_BANK_DATABASE_URL") or None
    if bank_database_url is not None and not bank_database_url.startswith("postgres"):
        raise ConfigError("DROP_SANDBOX_BANK_DATABASE_URL must be a postgresql:// URL")
    raw_reject = env.get("DROP_SANDBOX_REJECT_TOTAL") or "4040.00"
    try:
        reject_total = Decimal(raw_reject).quantize(Decimal("0.01"))
    except InvalidOperation:
        message = f"DROP_SANDBOX_REJECT_TOTAL must be an amount, got {raw_reject!r}"
        raise ConfigError(message) from None

    issuer = env.get("DROP_BANKID_ISSUER") or None
    client_secret = env.get("DROP_BANKID_CLIENT_SECRET") or ""
    if issuer is not None:
        if not issuer.startswith(("https://", "http://")):
            raise ConfigError("DROP_BANKID_ISSUER must be an http(s) URL")
        if not client_secret:
            raise ConfigError("DROP_BANKID_CLIENT_SECRET is required with DROP_BANKID_ISSUER")
    elif mode is Mode.PRODUCTION:
        raise ConfigError(
            "DROP_BANKID_ISSUER is required in production (the BankID sandbox is for development)"
        )
    sandbox_port = _port(env, "DROP_BANKID_SANDBOX_PORT", 8091)
    host = env.get("DROP_HOST") or "127.0.0.1"
    public_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    redirect_uri = env.get("DROP_BANKID_REDIRECT_URI") or (
        f"http://{public_host}:{ports['DROP_HTTP_PORT']}/api/auth/bankid/callback"
    )

    heartbeat = _seconds(env, "DROP_STREAM_HEARTBEAT_SECONDS", 25.0, minimum=0.1)
    if heartbeat > STREAM_IDLE_SECONDS - 1:
        raise ConfigError(
            f"DROP_STREAM_HEARTBEAT_SECONDS must be at most {STREAM_IDLE_SECONDS - 1:g} "
            f"(Envoy closes a stream idle for {STREAM_IDLE_SECONDS:g} s)"
        )

    webhook_key = env.get("DROP_WEBHOOK_SECRETS_KEY") or ""
    allow_private = _bool(env, "DROP_WEBHOOK_ALLOW_PRIVATE", False)
    if mode is Mode.PRODUCTION:
        if len(webhook_key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"DROP_WEBHOOK_SECRETS_KEY is required in production and must be at least "
                f"{MIN_SECRET_LENGTH} characters"
            )
        if allow_private:
            raise ConfigError(
                "DROP_WEBHOOK_ALLOW_PRIVATE is for development only: in production webhooks "
                "never reach private, loopback or link-local addresses"
            )
    elif not webhook_key:
        webhook_key = _dev_secret(data_dir, DEV_WEBHOOK_KEY_FILE)
    elif len(webhook_key) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"DROP_WEBHOOK_SECRETS_KEY must be at least {MIN_SECRET_LENGTH} characters"
        )
    retry_base = _seconds(env, "DROP_WEBHOOK_RETRY_BASE_SECONDS", 60.0, minimum=0.01)

    return Settings(
        bankid_issuer=issuer,
        bankid_client_id=env.get("DROP_BANKID_CLIENT_ID") or "drop",
        bankid_client_secret=client_secret or SANDBOX_CLIENT_SECRET,
        bankid_redirect_uri=redirect_uri,
        bankid_sandbox_port=sandbox_port,
        app_url=env.get("DROP_APP_URL") or "/",
        grpc_host=env.get("DROP_GRPC_HOST") or "127.0.0.1",
        cors_origins=_origins(env),
        role=role,
        job_workers=int(raw_job_workers),
        webhook_secrets_key=webhook_key,
        webhook_allow_private=allow_private,
        webhook_retry_base_seconds=retry_base,
        log_format=log_format,
        metrics_port=int(raw_metrics_port),
        metrics_host=env.get("DROP_METRICS_HOST") or "127.0.0.1",
        envoy_access_log=env.get("DROP_ENVOY_ACCESS_LOG") or "",
        ratelimit_service=ratelimit_service,
        bank_provider=provider,
        card_issuer=issuer_name,
        sandbox_settle_seconds=settle_seconds,
        sandbox_reject_total=reject_total,
        sandbox_bank_database_url=bank_database_url,
        reconcile_after_seconds=reconcile_after,
        reconcile_interval_seconds=reconcile_interval,
        mode=mode,
        database_url=database_url,
        data_dir=data_dir,
        host=host,
        http_port=ports["DROP_HTTP_PORT"],
        grpc_port=ports["DROP_GRPC_PORT"],
        envoy_admin_port=ports["DROP_ENVOY_ADMIN_PORT"],
        workers=int(raw_workers),
        jwt_secret=secret,
        password_login=_bool(env, "DROP_PASSWORD_LOGIN", True),
        log_level=log_level,
        stream_heartbeat_seconds=heartbeat,
    )
