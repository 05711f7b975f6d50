"""The embedded PostgreSQL of development and tests (PyPI `pgserver`), kept in DROP_DATA_DIR.

`pgserver` attaches to a server already running on the same data directory, so `drop admin`
and `drop migrate` work beside a running `drop serve`; the server stops when the last
process using it lets go. It counts its users in `.handle_pids.json`; a user that died without
letting go (kill -9) would keep the server from ever stopping, so dead pids are pruned first.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
HANDLE_LIST = ".handle_pids.json"
STOP_TIMEOUT_SECONDS = 5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_dead_users(pgdata: Path, dead: int | None = None) -> list[int]:
    """Forgets users that died without letting go (and `dead`, which may still be a zombie
    nobody has reaped); returns the living ones."""
    path = pgdata / HANDLE_LIST
    try:
        pids = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    alive = [pid for pid in pids if isinstance(pid, int) and pid != dead and _alive(pid)]
    if alive != pids:
        log.warning("embedded PostgreSQL: forgetting users that died without stopping it")
        path.write_text(json.dumps(alive))
    return alive


def start_guard(server: Any) -> subprocess.Popen[bytes]:
    """The guard that stops this server if the calling process dies without stopping it
    (see drop_server.postgres_guard)."""
    command = [sys.executable, "-m", "drop_server.postgres_guard", str(server.pgdata)]
    return subprocess.Popen(
        [*command, str(os.getpid())], stdin=subprocess.PIPE, start_new_session=True
    )


def release_guard(guard: subprocess.Popen[bytes], timeout: float) -> None:
    """A clean stop: the guard exits without touching PostgreSQL."""
    from drop_server.postgres_guard import STOPPING

    with contextlib.suppress(OSError):
        assert guard.stdin is not None
        guard.stdin.write(STOPPING)
        guard.stdin.close()
    try:
        guard.wait(timeout)
    except subprocess.TimeoutExpired:
        guard.kill()
        guard.wait()


def _pgserver() -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI); the fallback it takes is fine.
        warnings.simplefilter("ignore")
        import pgserver

        return pgserver


def start_embedded_postgres(data_dir: Path) -> Any:
    pgserver = _pgserver()
    pgdata = data_dir / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    with pgserver.postgres_server.PostgresServer._lock:
        prune_dead_users(pgdata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    log.info("embedded PostgreSQL in %s", pgdata)
    return server


def embedded_url(server: Any) -> str:
    uri: str = server.get_uri()
    return uri


def is_running(server: Any) -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(server.pgdata)
    return info is not None and info.is_running()


def restart(server: Any) -> None:
    """Starts the server again on the same data directory (same socket, so the same URL);
    raises if PostgreSQL refuses to start yet (its old processes are still exiting)."""
    with server._lock:
        server.ensure_postgres_running()


def stop(server: Any) -> None:
    """Lets go of the server, stopping it within STOP_TIMEOUT_SECONDS if no other process
    uses it: a fast shutdown first, an immediate one if that does not finish in time."""
    from pgserver import _commands

    with server._lock:
        remaining = server.global_process_id_list.get_and_remove(os.getpid())
        others = [pid for pid in remaining if pid != os.getpid() and _alive(pid)]
        if others or not is_running(server):
            return
        for mode in ("fast", "immediate"):
            with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
                _commands.pg_ctl(
                    ["-w", "-t", str(STOP_TIMEOUT_SECONDS), "-m", mode, "stop"],
                    pgdata=server.pgdata,
                    user=server.system_user,
                    timeout=STOP_TIMEOUT_SECONDS + 1,
                )
                return
