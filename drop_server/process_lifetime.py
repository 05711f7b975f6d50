"""Child processes of `drop serve` die with it, however it dies (kill -9 included).

Linux's PR_SET_PDEATHSIG asks the kernel to signal a process when its parent exits. The
workers set it on themselves at start; Envoy is started through this module
(`python -m drop_server.process_lifetime <envoy> <args>`), which sets it and then execs Envoy:
the setting survives exec. Elsewhere (macOS) this is a no-op and the pid file of
`drop_server.stale_processes` catches what is left behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int, signum: int = signal.SIGTERM) -> None:
    """Ask for `signum` when the parent exits; exit now if it already has (the race between
    fork and this call)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != expected_parent:
        os._exit(1)


def main(argv: list[str]) -> None:
    parent = int(os.environ.pop("DROP_SUPERVISOR_PID", str(os.getppid())))
    die_with_parent(parent)
    os.execv(argv[0], argv)  # noqa: S606 (our own, fixed command line)


if __name__ == "__main__":
    main(sys.argv[1:])
