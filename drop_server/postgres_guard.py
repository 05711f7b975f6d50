"""Stops the embedded PostgreSQL when `drop serve` dies without stopping it (kill -9, a crash).

PostgreSQL runs detached (pg_ctl starts it), so the parent-death signal that takes the workers
and Envoy cannot reach it. `drop serve` starts this small guard beside it instead, with a pipe
on its stdin that only `drop serve` holds. On a clean stop `drop serve` writes STOPPING, closes
the pipe and stops PostgreSQL itself; if the pipe closes without it, `drop serve` died (the
kernel closes a dead process's files), and the guard stops PostgreSQL, unless another process
(a `drop admin` beside it) still uses the server. No signal and no pid is involved, so there
is no race with pid reuse or with the order the kernel does things in.

    python -m drop_server.postgres_guard <pgdata> <supervisor pid>
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from drop_server.embedded_postgres import STOP_TIMEOUT_SECONDS, prune_dead_users

STOPPING = b"stopping\n"


def main(argv: list[str]) -> int:
    pgdata, supervisor = Path(argv[0]), int(argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.stdin.buffer.read() == STOPPING:  # blocks until drop serve closes the pipe
        return 0  # a clean stop: drop serve stops PostgreSQL itself
    print(
        "drop postgres guard: drop serve is gone; stopping the embedded PostgreSQL",
        file=sys.stderr,
        flush=True,
    )
    from pgserver import _commands
    from pgserver.postgres_server import PostgresServer

    with PostgresServer._lock:
        if prune_dead_users(pgdata, dead=supervisor):
            return 0  # still in use, e.g. by a `drop admin` started beside `drop serve`
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _commands.pg_ctl(
                ["-w", "-t", str(STOP_TIMEOUT_SECONDS), "-m", "fast", "stop"],
                pgdata=pgdata,
                # As pgserver does: PostgreSQL refuses to run as root, so it runs as this user.
                user="pgserver" if os.geteuid() == 0 else None,
                timeout=STOP_TIMEOUT_SECONDS + 1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
