"""A whole `drop serve` (gRPC workers + Envoy) on free ports, started exactly as `make run`
starts it, for the session's shared system and for tests that need one of their own (faults,
crashes) on a database of their choice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
START_TIMEOUT = 90.0
# Settings a developer's shell may carry that would change what the tests start.
INHERITED = (
    "DROP_JWT_SECRET",
    "DROP_WEBHOOK_SECRETS_KEY",
    "DROP_WEBHOOK_ALLOW_PRIVATE",
    "DROP_PASSWORD_LOGIN",
    "DROP_BANKID_ISSUER",
    "DROP_BANKID_CLIENT_SECRET",
    "DROP_SANDBOX_BANK_DATABASE_URL",
    "DROP_CORS_ORIGINS",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DropSystem:
    http_url: str
    grpc_target: str
    envoy_target: str
    database_url: str
    data_dir: Path
    log_path: Path
    bankid_issuer: str
    process: subprocess.Popen[bytes] | None = None
    # A browser origin the system allows (DROP_CORS_ORIGINS), when the tests serve pages.
    browser_origin: str = ""
    # Envoy's admin interface (loopback): per-endpoint counters of the worker cluster.
    admin_url: str = ""
    # The application's Prometheus metrics (`drop serve`).
    metrics_url: str = ""

    def env(self) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.database_url, DROP_DATA_DIR=str(self.data_dir))

    def drop(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Runs the `drop` CLI against this system's database."""
        return subprocess.run(
            [str(BIN / "drop"), *args],
            env={**self.env(), **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_drop(database_url: str, data_dir: Path, **settings: str) -> DropSystem:
    http_port, grpc_port, admin_port, bankid_port, metrics_port = (free_port() for _ in range(5))
    log_path = data_dir / "serve.log"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DROP_DATA_DIR=str(data_dir),
        DROP_HTTP_PORT=str(http_port),
        DROP_GRPC_PORT=str(grpc_port),
        DROP_ENVOY_ADMIN_PORT=str(admin_port),
        DROP_BANKID_SANDBOX_PORT=str(bankid_port),
        DROP_METRICS_PORT=str(metrics_port),
        DROP_APP_URL="/app/home",
        DROP_WORKERS="2",
        DROP_LOG_LEVEL="INFO",
        DROP_ENV="development",
        # Tests settle remittances themselves; the background clearing has its own test.
        DROP_SANDBOX_SETTLE_SECONDS="0",
        # Open event streams hear a heartbeat (and recheck their session) every second.
        DROP_STREAM_HEARTBEAT_SECONDS="1",
    )
    for inherited in INHERITED:
        env.pop(inherited, None)
    env.update(settings)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "drop"), "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
        )
    system = DropSystem(
        http_url=f"http://127.0.0.1:{http_port}",
        grpc_target=f"127.0.0.1:{grpc_port}",
        envoy_target=f"127.0.0.1:{http_port}",
        database_url=database_url,
        data_dir=data_dir,
        log_path=log_path,
        bankid_issuer=f"http://127.0.0.1:{bankid_port}",
        process=process,
        admin_url=f"http://127.0.0.1:{admin_port}",
        metrics_url=f"http://127.0.0.1:{metrics_port}/metrics",
    )
    deadline = time.monotonic() + START_TIMEOUT
    while "Drop is running" not in system.log_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"drop serve did not start:\n{system.log_text()}")
        time.sleep(0.2)
    return system


@contextmanager
def running_drop(database_url: str, data_dir: Path, **settings: str) -> Iterator[DropSystem]:
    system = start_drop(database_url, data_dir, **settings)
    try:
        yield system
    finally:
        system.stop()
