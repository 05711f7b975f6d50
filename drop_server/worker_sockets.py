"""Where each gRPC worker listens privately for Envoy.

Workers share DROP_GRPC_PORT (SO_REUSEPORT) for native gRPC clients, but the kernel spreads
*connections* over them, and Envoy multiplexes all its requests on a couple of HTTP/2
connections: one worker could do all the work. So each worker also listens on a Unix socket of
its own, and Envoy lists every socket as an endpoint and balances *requests* over them. A
socket path is stable across a worker's restart (Envoy's config needs no change) and needs no
free port.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

# sockaddr_un holds 108 bytes; stay well inside it.
_MAX_PATH = 100


def socket_dir(data_dir: Path) -> Path:
    preferred = data_dir / "run"
    if len(str(preferred / "worker-64.sock")) <= _MAX_PATH:
        return preferred
    # A deep data directory (tests, CI): a short directory of its own under /tmp instead.
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"drop-{digest}"


def worker_socket(data_dir: Path, index: int) -> Path:
    return socket_dir(data_dir) / f"worker-{index + 1}.sock"


def worker_sockets(data_dir: Path, workers: int) -> list[Path]:
    return [worker_socket(data_dir, index) for index in range(workers)]


def streams_socket(data_dir: Path) -> Path:
    """Where the streams process (live events, drop_server/streams) listens for Envoy."""
    return socket_dir(data_dir) / "streams.sock"
