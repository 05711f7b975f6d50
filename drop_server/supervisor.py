"""`drop serve`: embedded PostgreSQL (unless DATABASE_URL), migrations, the gRPC worker
processes, and Envoy; prints where it listens and stops everything in order on Ctrl-C/SIGTERM."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from drop_server.config import Settings
from drop_server.db import migrate
from drop_server.db.engine import Database
from drop_server.edge import start_envoy
from drop_server.embedded_postgres import embedded_url, start_embedded_postgres
from drop_server.providers import configured_bank
from drop_server.providers.bankid_sandbox import SandboxProvider, start_sandbox
from drop_server.providers.sandbox_bank import SandboxBank
from drop_server.services.clearing import run_clearing
from drop_server.services.demo import has_users, seed_demo
from drop_server.services.housekeeping import run_housekeeping
from drop_server.services.reconciliation import run_reconciliation

log = logging.getLogger("drop.serve")
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


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
        server.cleanup()


def _wait_for_grpc(address: str, deadline: float) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                return
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"gRPC workers did not answer on {address}") from None
                time.sleep(0.2)


def _wait_for_http(url: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1.0):  # noqa: S310 (our own loopback URL)
                return
        except urllib.error.HTTPError:
            return  # Envoy answered; a 503 health is still an answer.
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"Envoy did not answer on {url}") from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes], name: str) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        log.warning("%s did not stop in time; killing it", name)
        process.kill()
        process.wait()


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104


def serve(settings: Settings) -> int:
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    sandbox_server = None
    if settings.bankid_issuer is None:
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

    with database_url_for(settings) as database_url:
        migrate.upgrade(database_url)
        db = Database(database_url, pool_size=2)
        bank = configured_bank(settings, db)
        demo = None if has_users(db) else seed_demo(db, bank, settings.jwt_secret)
        stop_clearing = threading.Event()
        threading.Thread(
            target=run_housekeeping, args=(db, stop_clearing), name="housekeeping", daemon=True
        ).start()
        threading.Thread(
            target=run_reconciliation,
            args=(
                db,
                bank,
                timedelta(seconds=settings.reconcile_after_seconds),
                settings.reconcile_interval_seconds,
                stop_clearing,
            ),
            name="reconciliation",
            daemon=True,
        ).start()
        if isinstance(bank, SandboxBank) and settings.sandbox_settle_seconds > 0:
            delay = timedelta(seconds=settings.sandbox_settle_seconds)
            threading.Thread(
                target=run_clearing,
                args=(db, bank, delay, stop_clearing),
                name="sandbox-clearing",
                daemon=True,
            ).start()
        env = dict(
            os.environ,
            DATABASE_URL=database_url,
            DROP_JWT_SECRET=settings.jwt_secret,
            DROP_BANKID_ISSUER=str(settings.bankid_issuer),
            DROP_BANKID_CLIENT_SECRET=settings.bankid_client_secret,
        )
        children: list[tuple[str, subprocess.Popen[bytes]]] = []
        try:
            for number in range(settings.workers):
                worker = subprocess.Popen(
                    [sys.executable, "-m", "drop_server.cli", "worker"],
                    env=env,
                    start_new_session=True,
                )
                children.append((f"worker {number + 1}", worker))
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            host = _client_host(settings.host)
            _wait_for_grpc(f"{host}:{settings.grpc_port}", deadline)
            envoy = start_envoy(settings, settings.data_dir / "envoy", settings.log_level)
            children.append(("envoy", envoy))
            _wait_for_http(f"http://{host}:{settings.http_port}/api/health", deadline)
            print(
                f"Drop is running ({settings.mode.value}, {settings.workers} workers)\n"
                f"  REST  http://{host}:{settings.http_port}/api  (Envoy; also native gRPC)\n"
                f"  gRPC  {host}:{settings.grpc_port}\n"
                f"  BankID {settings.bankid_issuer}"
                f"{' (sandbox)' if sandbox_server is not None else ''}\n"
                f"  data  {settings.data_dir}\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
            if demo is not None:
                print(
                    f"Demo data created: sign in as {demo.user_email} or {demo.merchant_email} "
                    f"(password {demo.password}); see the README walk-through.",
                    flush=True,
                )
            while not stopping.wait(0.5):
                for name, child in children:
                    if child.poll() is not None:
                        log.error("%s exited with %s; stopping Drop", name, child.returncode)
                        return 1
            return 0
        except (TimeoutError, OSError) as exc:
            log.error("start-up failed: %s", exc)
            return 1
        finally:
            stop_clearing.set()
            if sandbox_server is not None:
                sandbox_server.shutdown()
            for name, child in reversed(children):
                with contextlib.suppress(OSError):
                    _stop(child, name)
            db.dispose()
