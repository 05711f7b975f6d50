"""The embedded PostgreSQL of development and tests (PyPI `pgserver`), kept in DROP_DATA_DIR.

`pgserver` attaches to a server already running on the same data directory, so `drop admin`
and `drop migrate` work beside a running `drop serve`; the server stops when the last
process using it lets go.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def start_embedded_postgres(data_dir: Path) -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI); the fallback it takes is fine.
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = data_dir / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    log.info("embedded PostgreSQL in %s", pgdata)
    return server


def embedded_url(server: Any) -> str:
    uri: str = server.get_uri()
    return uri
