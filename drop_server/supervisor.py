"""`drop serve`: embedded PostgreSQL (unless DATABASE_URL), migrations, the gRPC worker
processes, and Envoy; prints where it listens, restarts whatever dies, and stops everything in
order on Ctrl-C/SIGTERM (any number of them, within STOP_BUDGET_SECONDS)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from drop_server import embedded_postgres, run_lock
from drop_server.config import Settings
from drop_server.db import migrate
from drop_server.db.engine import Database
from drop_server.edge import start_envoy
from drop_server.embedded_postgres import embedded_url, start_embedded_postgres
from drop_server.jobs.stats import queue_stats
from drop_server.observability import metrics
from drop_server.providers import configured_bank
from drop_server.providers.bankid_sandbox import SandboxProvider, start_sandbox
from drop_server.services.demo import has_users, seed_demo
from drop_server.supervision import GiveUp, Supervised, stop_all
from drop_server.worker_sockets import streams_socket, worker_sockets

log = logging.getLogger("drop.serve")
START_TIMEOUT_SECONDS = 60.0
# Workers get this long to finish in-flight RPCs (their own grace is 5 s), Envoy a little.
WORKER_STOP_SECONDS = 7.0
ENVOY_STOP_SECONDS = 2.0
# Everything, PostgreSQL included, is stopped within this; documented in the README.
STOP_BUDGET_SECONDS = 15.0
LOOP_SECONDS = 0.2
# The embedded PostgreSQL is restarted at most this often while it keeps refusing to start.
POSTGRES_RETRY_SECONDS = 1.0
POSTGRES_MAX_ATTEMPTS = 20


@contextmanager
def database_url_for(settings: Settings) -> Iterator[str]:
    """DATABASE_URL when set; otherwise the embedded server in DROP_DATA_DIR, released after."""
    if settings.database_url is not None:
        yield settings.database_url
        return
    server = start_embedded_postgres(settings.data_dir)
    try:
        yield embedded_url(server)
    finally:
        embedded_postgres.stop(server)


class StopRequest:
    """Set from the signal handler. A plain attribute write takes no lock, unlike
    threading.Event.set(), which could deadlock on a lock the interrupted thread holds."""

    signal: int | None = None

    def handle(self, signum: int, frame: object) -> None:
        self.signal = signum

    @property
    def requested(self) -> bool:
        return self.signal is not None


def _wait_for_grpc(address: str, deadline: float, stop: StopRequest) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while not stop.requested:
            try:
                stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                return
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"gRPC workers did not answer on {address}") from None
                time.sleep(LOOP_SECONDS)


def _wait_for_http(url: str, deadline: float, stop: StopRequest) -> None:
    while not stop.requested:
        try:
            with urllib.request.urlopen(url, timeout=1.0):  # noqa: S310 (our own loopback URL)
                return
        except urllib.error.HTTPError:
            return  # Envoy answered; a 503 health is still an answer.
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"Envoy did not answer on {url}") from None
            time.sleep(LOOP_SECONDS)


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104


class PostgresWatch:
    """Restarts the embedded PostgreSQL when it dies (kill -9, OOM killer)."""

    def __init__(self, server: object | None) -> None:
        self._server = server
        self._retry_at = 0.0
        self._attempts = 0

    def check(self, now: float) -> None:
        if self._server is None or now < self._retry_at:
            return
        if embedded_postgres.is_running(self._server):
            self._attempts = 0
            return
        self._attempts += 1
        if self._attempts > POSTGRES_MAX_ATTEMPTS:
            raise GiveUp("the embedded PostgreSQL does not start again; giving up")
        log.error("the embedded PostgreSQL is down; restarting it (attempt %d)", self._attempts)
        try:
            embedded_postgres.restart(self._server)
            log.warning("the embedded PostgreSQL is running again")
        except (subprocess.SubprocessError, OSError, AssertionError) as exc:
            log.error("the embedded PostgreSQL did not start yet (%s)", type(exc).__name__)
            self._retry_at = time.monotonic() + POSTGRES_RETRY_SECONDS


def _starter(env: dict[str, str], command: str = "worker") -> Callable[[], subprocess.Popen[bytes]]:
    def start() -> subprocess.Popen[bytes]:
        # A session of its own: a terminal's Ctrl-C reaches `drop serve` only, which stops
        # the workers in order.
        return subprocess.Popen(
            [sys.executable, "-m", "drop_server.cli", command], env=env, start_new_session=True
        )

    return start


def serve(settings: Settings) -> int:
    stop = StopRequest()
    signal.signal(signal.SIGTERM, stop.handle)
    signal.signal(signal.SIGINT, stop.handle)
    try:
        run_lock.claim(settings.data_dir)
    except run_lock.AlreadyRunning as exc:
        log.error("%s", exc)
        return 2
    try:
        return _serve(settings, stop)
    finally:
        run_lock.release(settings.data_dir)


def _serve(settings: Settings, stop: StopRequest) -> int:
    sandbox_server = None
    if settings.role.api and settings.bankid_issuer is None:
        # The embedded default: a local BankID stand-in, so sign-in works on one machine.
        issuer = f"http://127.0.0.1:{settings.bankid_sandbox_port}"
        provider = SandboxProvider(
            issuer,
            settings.bankid_client_id,
            settings.bankid_client_secret,
            [settings.bankid_redirect_uri],
        )
        try:
            sandbox_server = start_sandbox("127.0.0.1", settings.bankid_sandbox_port, provider)
        except OSError as exc:
            log.error(
                "cannot start the BankID sandbox on port %s: %s", settings.bankid_sandbox_port, exc
            )
            return 1
        settings = replace(settings, bankid_issuer=issuer)

    postgres = None
    guard: subprocess.Popen[bytes] | None = None
    if settings.database_url is None:
        postgres = start_embedded_postgres(settings.data_dir)
        guard = embedded_postgres.start_guard(postgres)
        database_url = embedded_url(postgres)
    else:
        database_url = settings.database_url
    children: list[Supervised] = []
    db: Database | None = None
    metrics_server: object | None = None
    try:
        migrate.upgrade(database_url)
        db = Database(database_url, pool_size=2)
        # Before any worker starts: they all write their metrics there (multiprocess mode).
        os.environ[metrics.MULTIPROC_ENV] = str(metrics.prepare_multiprocess_dir(settings.data_dir))
        if settings.metrics_port:
            stats_db = db
            metrics_server = metrics.serve_metrics(
                settings.metrics_host, settings.metrics_port, lambda: queue_stats(stats_db)
            )
        demo = None
        if settings.role.api and not has_users(db):
            demo = seed_demo(db, configured_bank(settings, db), settings.jwt_secret)
        env = dict(
            os.environ,
            DATABASE_URL=database_url,
            DROP_JWT_SECRET=settings.jwt_secret,
            DROP_WEBHOOK_SECRETS_KEY=settings.webhook_secrets_key,
            DROP_SUPERVISOR_PID=str(os.getpid()),
        )
        if settings.bankid_issuer is not None:
            env.update(
                DROP_BANKID_ISSUER=str(settings.bankid_issuer),
                DROP_BANKID_CLIENT_SECRET=settings.bankid_client_secret,
            )
        if settings.role.jobs:
            # Background work (clearing, reconciliation, upkeep) is jobs on the queue, run by
            # these processes: see drop_server/jobs and README "The job queue".
            children += [
                Supervised(f"jobs worker {number + 1}", _starter(env, "jobs-worker"))
                for number in range(settings.job_workers)
            ]
        sockets = worker_sockets(settings.data_dir, settings.workers)
        if settings.role.api:
            sockets[0].parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            children += [
                Supervised(
                    f"worker {number + 1}", _starter(dict(env, DROP_WORKER_SOCKET=str(path)))
                )
                for number, path in enumerate(sockets)
            ]
            # Live event streams: one asyncio process beside the workers (drop_server/streams).
            children.append(Supervised("streams", _starter(env, "streams")))
        for child in children:
            child.launch()
        run_lock.record_children(settings.data_dir, [c.pid for c in children if c.pid])
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        host = _client_host(settings.host)
        grpc_host = _client_host(settings.grpc_host)
        if settings.role.api:
            _wait_for_grpc(f"{grpc_host}:{settings.grpc_port}", deadline, stop)
            envoy = Supervised(
                "envoy",
                lambda: start_envoy(
                    settings,
                    settings.data_dir / "envoy",
                    settings.log_level,
                    sockets,
                    streams_socket(settings.data_dir),
                ),
            )
            envoy.launch()
            children.append(envoy)
            run_lock.record_children(settings.data_dir, [c.pid for c in children if c.pid])
            _wait_for_http(f"http://{host}:{settings.http_port}/api/health", deadline, stop)
        if stop.requested:
            return 0
        lines = [f"Drop is running ({settings.mode.value}, role {settings.role.value})"]
        if settings.role.api:
            lines += [
                f"  REST  http://{host}:{settings.http_port}/api  (Envoy; also native gRPC)",
                f"  gRPC  {grpc_host}:{settings.grpc_port}  ({settings.workers} workers)",
                f"  BankID {settings.bankid_issuer}"
                f"{' (sandbox)' if sandbox_server is not None else ''}",
            ]
        if settings.role.jobs:
            lines.append(
                f"  jobs  {settings.job_workers} queue worker(s); `drop jobs` shows the queue"
            )
        if metrics_server is not None:
            lines.append(
                f"  metrics http://{_client_host(settings.metrics_host)}:{settings.metrics_port}"
                f"/metrics  (Envoy's: :{settings.envoy_admin_port}/stats/prometheus)"
            )
        lines += [f"  data  {settings.data_dir}", "Press Ctrl-C to stop."]
        print("\n".join(lines), flush=True)
        if demo is not None:
            print(
                f"Demo data created: sign in as {demo.user_email} or {demo.merchant_email} "
                f"(password {demo.password}); see the README walk-through.",
                flush=True,
            )
        return _supervise(settings, children, PostgresWatch(postgres), stop)
    except GiveUp as exc:
        log.error("%s", exc)
        return 1
    except (TimeoutError, OSError) as exc:
        log.error("start-up failed: %s", exc)
        return 1
    finally:
        if metrics_server is not None:
            metrics_server.shutdown()  # type: ignore[attr-defined]
        _shut_down(children, sandbox_server, db, postgres, guard)


def _supervise(
    settings: Settings, children: list[Supervised], postgres: PostgresWatch, stop: StopRequest
) -> int:
    """Until a stop signal: restart what died. GiveUp ends it when restarting keeps failing."""
    pids = [c.pid for c in children]
    while not stop.requested:
        time.sleep(LOOP_SECONDS)
        now = time.monotonic()
        postgres.check(now)
        for child in children:
            child.check(now)
        current = [c.pid for c in children]
        if current != pids:
            for gone in set(pids) - set(current):
                if gone is not None:
                    metrics.forget_process(gone)
            pids = current
            run_lock.record_children(settings.data_dir, [pid for pid in pids if pid])
    log.info("stopping on signal %s", stop.signal)
    return 0


def _shut_down(
    children: list[Supervised],
    sandbox_server: object | None,
    db: Database | None,
    postgres: object | None,
    guard: subprocess.Popen[bytes] | None,
) -> None:
    """Workers first (they finish in-flight RPCs while Envoy still carries the answers), then
    Envoy, then PostgreSQL; each step is bounded, so the whole stays within the budget."""
    if sandbox_server is not None:
        sandbox_server.shutdown()  # type: ignore[attr-defined]
    stop_all([c for c in children if c.name != "envoy"], WORKER_STOP_SECONDS)
    stop_all([c for c in children if c.name == "envoy"], ENVOY_STOP_SECONDS)
    if db is not None:
        db.dispose()
    if guard is not None:
        embedded_postgres.release_guard(guard, ENVOY_STOP_SECONDS)
    if postgres is not None:
        embedded_postgres.stop(postgres)
