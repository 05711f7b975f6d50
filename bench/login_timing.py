"""Login answers an unknown email and a wrong password in about the same time (no account
enumeration by timing). Prints median timings of the sign-in use case on embedded PostgreSQL.

    .venv/bin/python bench/login_timing.py [rounds]
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
import warnings

from drop_server.db import migrate
from drop_server.db.engine import Database
from drop_server.domain.users import RegistrationForm
from drop_server.errors import ApiError
from drop_server.services import accounts
from drop_server.services.sessions import ClientKind

SECRET = "bench-" + "s" * 64


def timed(db: Database, email: str, password: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ApiError):
        accounts.login(db, SECRET, email, password, ClientKind.WEB, password_login=True)
    return (time.perf_counter() - started) * 1000


def main(rounds: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(), cleanup_mode="delete")
    url = server.get_uri()
    migrate.upgrade(url)
    db = Database(url, pool_size=2)
    form = RegistrationForm("bench@example.no", "Secret123", "Bench", "User", None, "1990-01-01")
    accounts.register(db, SECRET, form, ClientKind.WEB, password_login=True)
    cases = {
        "wrong password": ("bench@example.no", "Wrong1234"),
        "unknown email": ("nobody@example.no", "Wrong1234"),
        "right password": ("bench@example.no", "Secret123"),
    }
    for name, (email, password) in cases.items():
        samples = [timed(db, email, password) for _ in range(rounds)]
        p90 = sorted(samples)[int(rounds * 0.9) - 1]
        print(f"{name:15} median {statistics.median(samples):7.1f} ms  p90 {p90:7.1f} ms")
    db.dispose()
    server.cleanup()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
