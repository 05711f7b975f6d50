"""A `drop serve` of a test's own, on free ports, for tests that kill its parts: the shared
session system must not be disturbed. With no DATABASE_URL it runs the embedded PostgreSQL,
as `make run` does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import BIN, START_TIMEOUT, free_port

RUNNING = "Drop is running"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class ServeProcess:
    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    http_port: int = field(default_factory=free_port)
    grpc_port: int = field(default_factory=free_port)
    admin_port: int = field(default_factory=free_port)
    bankid_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"serve-{self.starts}.log"

    def log_text(self) -> str:
        return "".join(
            path.read_text(errors="replace") for path in sorted(self.data_dir.glob("serve-*.log"))
        )

    def env(self) -> dict[str, str]:
        env = dict(
            os.environ,
            DROP_DATA_DIR=str(self.data_dir),
            DROP_HTTP_PORT=str(self.http_port),
            DROP_GRPC_PORT=str(self.grpc_port),
            DROP_ENVOY_ADMIN_PORT=str(self.admin_port),
            DROP_METRICS_PORT="0",
            DROP_BANKID_SANDBOX_PORT=str(self.bankid_port),
            DROP_WORKERS="2",
            DROP_LOG_LEVEL="INFO",
            DROP_ENV="development",
            DROP_SANDBOX_SETTLE_SECONDS="0",
        )
        for inherited in (
            "DATABASE_URL",
            "DROP_JWT_SECRET",
            "DROP_WEBHOOK_SECRETS_KEY",
            "DROP_BANKID_ISSUER",
        ):
            env.pop(inherited, None)
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        self.starts += 1
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(BIN / "drop"), "serve"],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
            )
        process = self.process
        wait_for(
            lambda: RUNNING in self.log_path.read_text() or process.poll() is not None,
            START_TIMEOUT,
            "drop serve to start",
        )
        assert process.poll() is None, self.log_text()

    def pid_record(self) -> dict[str, object]:
        record: dict[str, object] = json.loads((self.data_dir / "drop-serve.pid").read_text())
        return record

    def children(self) -> list[int]:
        return [int(pid) for pid in self.pid_record()["children"]]  # type: ignore[attr-defined]

    def workers(self) -> list[int]:
        return self.children()[:-1]

    def envoy(self) -> int:
        return self.children()[-1]

    def postgres(self) -> int | None:
        path = self.data_dir / "postgres" / "postmaster.pid"
        if not path.exists():
            return None
        pid = int(path.read_text().splitlines()[0])
        return pid if alive(pid) else None

    def stop(self) -> None:
        """Best effort at the end of a test module: stop whatever is still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            leftovers = self.children()
        except (OSError, ValueError):
            leftovers = []
        for pid in leftovers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        postgres = self.postgres()
        if postgres is not None:
            os.kill(postgres, signal.SIGTERM)
