"""The pid file of `drop serve` in DROP_DATA_DIR: one `drop serve` per data directory, and
what an unclean stop (kill -9, a power cut) left running is stopped by the next start."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
from pathlib import Path

log = logging.getLogger("drop.serve")
PID_FILE = "drop-serve.pid"
# Only processes whose command line says they are ours are ever signalled: a pid from an old
# file may belong to anything by now.
OUR_COMMANDS = ("drop_server", "envoy", "drop serve", "bin/drop")


class AlreadyRunning(Exception):
    pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ours(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return any(mark in command for mark in OUR_COMMANDS)


def claim(data_dir: Path) -> None:
    """Takes the data directory for this process, clearing up after a dead predecessor."""
    path = data_dir / PID_FILE
    if path.exists():
        try:
            record = json.loads(path.read_text())
            supervisor = int(record["supervisor"])
            children = [int(pid) for pid in record.get("children", [])]
        except (ValueError, KeyError, TypeError):
            supervisor, children = 0, []
        if supervisor and supervisor != os.getpid() and _alive(supervisor) and _ours(supervisor):
            raise AlreadyRunning(f"drop serve is already running on {data_dir} (pid {supervisor})")
        for pid in children:
            if _alive(pid) and _ours(pid):
                log.warning("stopping pid %s left running by an unclean stop", pid)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
    record_children(data_dir, [])


def record_children(data_dir: Path, pids: list[int]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / PID_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"supervisor": os.getpid(), "children": pids}))
    temporary.replace(path)


def release(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (data_dir / PID_FILE).unlink()
