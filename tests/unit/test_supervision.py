"""Restart policy of `drop serve`'s children, the sign-in backoff, and the pid file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from drop_server import run_lock, supervision
from drop_server.domain.sign_in_backoff import lock_seconds
from drop_server.supervision import GiveUp, Supervised
from tests.e2e.serve_process import wait_for


def started(process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    """Waits until the child has exec'd: before, /proc shows the parent's command line."""
    wait_for(lambda: b"time.sleep" in Path(f"/proc/{process.pid}/cmdline").read_bytes(), 5, "exec")
    return process


def failing_child() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])


def test_a_child_that_keeps_dying_is_restarted_with_backoff_then_given_up() -> None:
    child = Supervised("worker 1", failing_child)
    child.launch()
    delays = []
    with pytest.raises(GiveUp, match="worker 1 exited with 3 6 times in a row"):
        while True:
            assert child.process is not None
            child.process.wait()
            child.check(child.started_at + 0.1)  # notices the death, schedules a restart
            assert child.restart_at is not None
            delays.append(round(child.restart_at - child.started_at - 0.1, 2))
            child.check(child.restart_at)  # restarts
    assert delays == [0.25, 0.5, 1.0, 2.0, 4.0]
    assert child.restarts == 5


def test_a_child_that_ran_long_starts_its_failure_count_again() -> None:
    child = Supervised("envoy", failing_child)
    child.launch()
    child.quick_failures = supervision.MAX_QUICK_FAILURES - 1
    assert child.process is not None
    child.process.wait()
    child.check(child.started_at + supervision.HEALTHY_AFTER_SECONDS + 1)
    assert child.quick_failures == 1


def test_sign_in_lock_backs_off_and_is_capped() -> None:
    assert [lock_seconds(n) for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert lock_seconds(50) == 15 * 60


def test_the_pid_file_stops_only_our_leftovers(tmp_path: Path) -> None:
    ours = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "drop_server"])
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        (tmp_path / run_lock.PID_FILE).write_text(
            json.dumps({"supervisor": dead.pid, "children": [ours.pid, stranger.pid]})
        )
        run_lock.claim(tmp_path)
        assert ours.wait(5) == -signal.SIGKILL
        assert stranger.poll() is None
        record = json.loads((tmp_path / run_lock.PID_FILE).read_text())
        assert record == {"supervisor": os.getpid(), "children": []}
    finally:
        for process in (ours, stranger):
            if process.poll() is None:
                process.kill()
            process.wait()


def test_a_live_supervisor_keeps_its_data_directory(tmp_path: Path) -> None:
    live = started(
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "drop serve"])
    )
    try:
        (tmp_path / run_lock.PID_FILE).write_text(
            json.dumps({"supervisor": live.pid, "children": []})
        )
        with pytest.raises(run_lock.AlreadyRunning):
            run_lock.claim(tmp_path)
    finally:
        live.kill()
        live.wait()
