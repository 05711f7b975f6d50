"""Child processes of `drop serve` that are restarted when they die: the gRPC workers and
Envoy. A child that dies is started again after a backoff; one that keeps dying soon after its
start makes `drop serve` give up (and say why) instead of looping for ever."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("drop.serve")

FIRST_BACKOFF_SECONDS = 0.25
MAX_BACKOFF_SECONDS = 5.0
# A child that ran this long before dying was healthy: its failure count starts again.
HEALTHY_AFTER_SECONDS = 30.0
# Quick deaths in a row after which restarting is pointless (a taken port, a broken config).
MAX_QUICK_FAILURES = 6


class GiveUp(Exception):
    """A child keeps failing; the message says which and how."""


@dataclass
class Supervised:
    name: str
    start: Callable[[], subprocess.Popen[bytes]]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_failures: int = 0
    restart_at: float | None = None
    restarts: int = field(default=0)

    def launch(self) -> None:
        self.process = self.start()
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Notices a death and schedules the restart; restarts when its time has come."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                log.warning("restarting %s (restart %d)", self.name, self.restarts + 1)
                self.restarts += 1
                self.launch()
            return
        if self.process is None or self.process.poll() is None:
            return
        code = self.process.returncode
        if now - self.started_at >= HEALTHY_AFTER_SECONDS:
            self.quick_failures = 0
        self.quick_failures += 1
        if self.quick_failures >= MAX_QUICK_FAILURES:
            raise GiveUp(
                f"{self.name} exited with {code} {self.quick_failures} times in a row soon "
                "after starting; giving up"
            )
        delay = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (self.quick_failures - 1))
        log.error("%s exited with %s; restarting it in %.2f s", self.name, code, delay)
        self.restart_at = now + delay

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


def stop_all(children: list[Supervised], grace_seconds: float) -> None:
    """SIGTERM to all at once, then SIGKILL to whatever is still running after the grace."""
    running = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in running:
        with contextlib.suppress(OSError):
            process.terminate()
    deadline = time.monotonic() + grace_seconds
    for process in running:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("pid %s did not stop in %.0f s; killing it", process.pid, grace_seconds)
            process.kill()
            process.wait()
