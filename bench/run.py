"""`make bench`: Drop against its peers and limits, each side measured back to back in one run
with the same clients and duration. Prints a table per scenario, the ratios and the goals; CPU
per request is read from /proc (server processes and their reaped children: workers, Envoy,
PostgreSQL, the peer), the steadier figure on a shared machine. Never a test: speed lives here.

    .venv/bin/python -m bench.run [--seconds 5] [--clients 8] [--rows 1000000] [--quick]

Tools: h2load (Debian nghttp2-client) for HTTP/1.1 REST and HTTP/2 gRPC with a pre-serialised
body, pgbench from the embedded PostgreSQL, uvicorn + FastAPI (the `bench` extra) for the peer.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")
SECRET = "bench-" + "s" * 64


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- CPU and memory from /proc


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, utime + stime + cutime + cstime in ticks) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(value) for value in fields[11:15])


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the roots and all their live descendants (reaped ones are in cutime)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None:
                table[int(entry)] = stat
    wanted = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in table.items():
            if ppid in wanted and pid not in wanted:
                wanted.add(pid)
                grew = True
    return sum(table[pid][1] for pid in wanted if pid in table) / TICK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- load and its measurement


@dataclass
class Result:
    name: str
    requests: int
    failed: int
    seconds: float
    cpu: dict[str, float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_us(self, part: str | None = None) -> float:
        total = self.cpu[part] if part else sum(self.cpu.values())
        return total / self.requests * 1e6 if self.requests else float("nan")


def measure(
    name: str, run: Callable[[], tuple[int, int, float]], parts: dict[str, list[int]]
) -> Result:
    before = {part: tree_cpu(pids) for part, pids in parts.items()}
    requests, failed, seconds = run()
    cpu = {part: tree_cpu(pids) - before[part] for part, pids in parts.items()}
    return Result(name, requests, failed, seconds, cpu)


def grpc_frame(message: Any) -> bytes:
    payload = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def h2load(
    url: str,
    seconds: float,
    clients: int,
    *,
    h1: bool = False,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    work: Path,
    warm_up: bool = True,
) -> Callable[[], tuple[int, int, float]]:
    command = [
        "h2load",
        "-D",
        str(max(1, round(seconds))),
        "-c",
        str(clients),
        "-m",
        "1",
        "-t",
        "1",
    ]
    if warm_up:
        command += ["--warm-up-time", "1"]
    if h1:
        command.append("--h1")
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if body is not None:
        path = work / f"body-{uuid.uuid4().hex}.bin"
        path.write_bytes(body)
        command += ["-d", str(path)]
    command.append(url)

    def run() -> tuple[int, int, float]:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded", out)
        took = re.search(r"finished in ([\d.]+)(m?s)", out)
        if done is None or took is None:
            raise RuntimeError(f"h2load said:\n{out}")
        elapsed = float(took.group(1)) / (1000 if took.group(2) == "ms" else 1)
        status = re.search(r"status codes: (\d+) 2xx", out)
        succeeded = int(status.group(1)) if status else int(done.group(2))
        # Warm-up answers may be in the status counts, never in `done`.
        return succeeded, max(0, int(done.group(1)) - succeeded), elapsed

    return run


# ---------------------------------------------------------------- the system under test


@dataclass
class System:
    work: Path
    url: str
    pg_pid: int
    pg_bin: Path
    pg_host: str
    http_port: int = dataclasses.field(default_factory=free_port)
    grpc_port: int = dataclasses.field(default_factory=free_port)
    admin_port: int = dataclasses.field(default_factory=free_port)
    bankid_port: int = dataclasses.field(default_factory=free_port)
    bench_http_port: int = dataclasses.field(default_factory=free_port)
    bench_admin_port: int = dataclasses.field(default_factory=free_port)
    serve: subprocess.Popen[bytes] | None = None
    envoy: subprocess.Popen[bytes] | None = None
    workers: int = 2

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            DATABASE_URL=self.url,
            DROP_JWT_SECRET=SECRET,
            DROP_DATA_DIR=str(self.work / "drop"),
            DROP_HTTP_PORT=str(self.http_port),
            DROP_GRPC_PORT=str(self.grpc_port),
            DROP_ENVOY_ADMIN_PORT=str(self.admin_port),
            DROP_BANKID_SANDBOX_PORT=str(self.bankid_port),
            DROP_WORKERS=str(self.workers),
            DROP_METRICS_PORT="0",
            DROP_LOG_LEVEL="WARNING",
            DROP_ENV="development",
            DROP_SANDBOX_SETTLE_SECONDS="0",
        )

    def start(self, workers: int) -> None:
        self.workers = workers
        log = (self.work / f"serve-{workers}.log").open("w")
        self.serve = subprocess.Popen(
            [str(BIN / "drop"), "serve"], env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 120
        while "Drop is running" not in (self.work / f"serve-{workers}.log").read_text():
            if self.serve.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((self.work / f"serve-{workers}.log").read_text())
            time.sleep(0.1)
        self._start_bench_envoy()

    def _start_bench_envoy(self) -> None:
        """A second Envoy from the same rendered config, its per-address budgets raised: one
        load generator on loopback is one client address, which the real budgets would refuse
        after 3000 requests a minute. The limit filter still runs on every request."""
        from drop_server import edge
        from drop_server.config import load_settings
        from drop_server.worker_sockets import worker_sockets

        real = edge._per_ip_limit
        edge._per_ip_limit = lambda name, per_minute: real(name, 1_000_000_000)  # type: ignore[assignment]
        try:
            settings = replace(
                load_settings(self.env()),
                http_port=self.bench_http_port,
                envoy_admin_port=self.bench_admin_port,
            )
            sockets = worker_sockets(settings.data_dir, self.workers)
            self.envoy = edge.start_envoy(settings, self.work / "bench-envoy", sockets=sockets)
        finally:
            edge._per_ip_limit = real  # type: ignore[assignment]
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.rest}/api/health", timeout=2).read()  # noqa: S310
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        for process in (self.envoy, self.serve):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.envoy = self.serve = None

    @property
    def rest(self) -> str:
        return f"http://127.0.0.1:{self.bench_http_port}"

    @property
    def direct(self) -> str:
        return f"http://127.0.0.1:{self.grpc_port}"

    def worker_pids(self) -> list[int]:
        """The unary gRPC workers only (not the jobs worker, the streams process or Envoy)."""
        record = json.loads((self.work / "drop" / "drop-serve.pid").read_text())
        return [
            int(pid)
            for pid in record["children"]
            if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[-2:-1] == [b"worker"]
        ]

    def envoy_pid(self) -> int:
        assert self.envoy is not None
        return self.envoy.pid


@contextmanager
def embedded_postgres(work: Path) -> Iterator[tuple[str, int, Path, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(work / "pg", cleanup_mode="delete")
    try:
        url = server.get_uri()
        pid = int((work / "pg" / "postmaster.pid").read_text().splitlines()[0])
        host = re.search(r"host=([^&]+)", url)
        assert host is not None
        yield url, pid, Path(pgserver.__file__).parent / "pginstall" / "bin", host.group(1)
    finally:
        server.cleanup()


# ---------------------------------------------------------------- the world the load works on


@dataclass
class World:
    user_id: str
    token: str
    merchant_id: str
    owner_id: str
    owner_token: str
    template_tx: str
    owner_account: str


def sign_in(db: Any, email: str) -> tuple[str, str]:
    from drop_server.services import accounts
    from drop_server.services.demo import DEMO_PASSWORD
    from drop_server.services.sessions import ClientKind

    signed = accounts.login(db, SECRET, email, DEMO_PASSWORD, ClientKind.WEB, password_login=True)
    return signed.user.id, signed.grant.token


def world(db: Any) -> World:
    from sqlalchemy import text

    from drop_server.services.demo import DEMO_EMAIL, MERCHANT_EMAIL

    user_id, token = sign_in(db, DEMO_EMAIL)
    owner_id, owner_token = sign_in(db, MERCHANT_EMAIL)
    with db.transaction() as session:
        merchant_id = session.execute(
            text("SELECT id FROM merchants WHERE user_id = :u"), {"u": owner_id}
        ).scalar_one()
        template = session.execute(
            text("SELECT id FROM transactions WHERE type = 'qr_payment' LIMIT 1")
        ).scalar_one()
        account = session.execute(
            text("SELECT id FROM bank_accounts WHERE user_id = :u LIMIT 1"), {"u": owner_id}
        ).scalar_one()
        # Enough money for every payment the bench makes, at Drop and at the sandbox bank.
        session.execute(text("UPDATE bank_accounts SET balance = 1000000000"))
        session.execute(text("UPDATE sandbox_bank_accounts SET balance = 1000000000"))
    return World(user_id, token, merchant_id, owner_id, owner_token, template, account)


# ---------------------------------------------------------------- scenarios


def table(title: str, rows: list[Result], base: Result | None = None, note: str = "") -> None:
    print(f"\n## {title}")
    if note:
        print(note)
    parts = sorted({part for row in rows for part in row.cpu})
    head = f"{'side':44} {'req/s':>8} {'fail':>5} {'CPU µs/req':>11}"
    head += "".join(f" {part[:9]:>9}" for part in parts)
    if base is not None:
        head += f" {'x req/s':>8} {'x CPU':>7}"
    print(head)
    for row in rows:
        line = f"{row.name:44} {row.rps:8.0f} {row.failed:5d} {row.cpu_us():11.0f}"
        line += "".join(
            f" {row.cpu_us(part):9.0f}" if part in row.cpu else f" {'':9}" for part in parts
        )
        if base is not None:
            line += f" {row.rps / base.rps:8.2f} {base.cpu_us() / row.cpu_us():7.2f}"
        print(line)


def goal(text: str, value: float, target: float, *, at_most: bool = False) -> str:
    met = value <= target if at_most else value >= target
    bound = f"{'≤' if at_most else '≥'} {target:g}"
    line = f"GOAL {'met   ' if met else 'MISSED'} {text}: {value:.2f} ({bound})"
    print(line)
    return line


def transport(system: System, w: World, seconds: float, clients: int) -> dict[str, Result]:
    from drop.v1 import rates_pb2, transactions_pb2

    parts = {
        "workers": system.worker_pids(),
        "envoy": [system.envoy_pid()],
        "postgres": [system.pg_pid],
    }
    direct_parts = {k: v for k, v in parts.items() if k != "envoy"}
    grpc = {"content-type": "application/grpc", "te": "trailers"}
    auth = {"authorization": f"Bearer {w.token}"}
    results: dict[str, Result] = {}
    for label, rest_path, method, message, headers in (
        ("public read", "/api/rates", "/drop.v1.RateService/ListRates",
         rates_pb2.ListRatesRequest(), {}),
        ("authenticated read", "/api/transactions", "/drop.v1.TransactionService/ListTransactions",
         transactions_pb2.ListTransactionsRequest(), auth),
    ):  # fmt: skip
        body = grpc_frame(message)
        rows = [
            measure(
                f"{label}: REST via Envoy (HTTP/1.1)",
                h2load(system.rest + rest_path, seconds, clients, h1=True, headers=headers,
                       work=system.work),
                parts,
            ),
            measure(
                f"{label}: gRPC via Envoy",
                h2load(system.rest + method, seconds, clients, body=body,
                       headers={**grpc, **headers}, work=system.work),
                parts,
            ),
            measure(
                f"{label}: gRPC straight to the workers",
                h2load(system.direct + method, seconds, clients, body=body,
                       headers={**grpc, **headers}, work=system.work),
                direct_parts,
            ),
        ]  # fmt: skip
        table(f"(a) transport, {label} ({clients} clients, {seconds:g} s each)", rows, rows[2])
        results[label + " rest"] = rows[0]
        results[label + " direct"] = rows[2]
    return results


def check_grpc(system: System, w: World) -> None:
    """h2load counts HTTP statuses; gRPC errors are HTTP 200. Prove each call succeeds first."""
    import grpc

    from drop.v1 import rates_pb2, rates_pb2_grpc, transactions_pb2, transactions_pb2_grpc

    meta = (("authorization", f"Bearer {w.token}"),)
    for target in (f"127.0.0.1:{system.grpc_port}", f"127.0.0.1:{system.bench_http_port}"):
        with grpc.insecure_channel(target) as channel:
            rates_pb2_grpc.RateServiceStub(channel).ListRates(rates_pb2.ListRatesRequest())
            stub = transactions_pb2_grpc.TransactionServiceStub(channel)
            stub.ListTransactions(transactions_pb2.ListTransactionsRequest(), metadata=meta)


def peer(system: System, w: World, seconds: float, clients: int, drop: Result) -> Result:
    port = free_port()
    env = dict(system.env(), PYTHONPATH=str(ROOT))
    command = [str(BIN / "uvicorn"), "bench.peers.fastapi_transactions:app", "--port", str(port)]
    command += ["--workers", str(system.workers), "--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        url = f"http://127.0.0.1:{port}/api/transactions"
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    url, headers={"authorization": f"Bearer {w.token}"}
                )
                theirs = json.loads(urllib.request.urlopen(request, timeout=5).read())  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        request = urllib.request.Request(  # noqa: S310
            system.rest + "/api/transactions", headers={"authorization": f"Bearer {w.token}"}
        )
        ours = json.loads(urllib.request.urlopen(request, timeout=5).read())  # noqa: S310
        if ours != theirs:
            raise RuntimeError(f"the peer's JSON differs:\n{ours}\n{theirs}")
        peer_request = urllib.request.Request(url, headers={"authorization": f"Bearer {w.token}"})
        for _ in range(10 * system.workers):  # every peer process past its first request
            urllib.request.urlopen(peer_request, timeout=5).read()  # noqa: S310
        result = measure(
            "FastAPI + uvicorn peer (HTTP/1.1)",
            h2load(url, seconds, clients, h1=True,
                   headers={"authorization": f"Bearer {w.token}"}, work=system.work),
            {"peer": [process.pid], "postgres": [system.pg_pid]},
        )  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    table(
        f"(c) GET /api/transactions against a peer ({system.workers} processes each, same JSON)",
        [drop, result],
        result,
    )
    return result


# ---- payments against pgbench


UNIQUE = re.compile(
    r"'(tx_qr_[0-9a-f]+|noti_[0-9a-f]+|pmt_[0-9a-f]+|E2E[0-9a-f]+|DROP-[0-9A-F]+|"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'"
)


def payment_script(system: System, w: World) -> tuple[str, int, int]:
    """The SQL one QR payment runs (session lookup included), captured from the same code the
    workers run, as a pgbench script: every value that must be unique per payment becomes a
    pgbench variable. Returns the script, its statement count and transaction count."""
    import psycopg
    from sqlalchemy import event

    from drop_server.config import load_settings
    from drop_server.db.engine import Database
    from drop_server.providers import configured_bank
    from drop_server.services import payments
    from drop_server.services.sessions import authenticate_token

    db = Database(system.url, pool_size=1)
    bank = configured_bank(load_settings(system.env()), db)
    log: list[tuple[str, Any]] = []

    def executed(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        log.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", executed)
    event.listen(db.engine, "commit", lambda conn: log.append(("COMMIT", None)))
    event.listen(db.engine, "rollback", lambda conn: log.append(("ROLLBACK", None)))
    principal = authenticate_token(db, SECRET, w.token)
    request = payments.QrPaymentRequest(w.merchant_id, 1.0)
    payments.pay_merchant(db, bank, principal, request, None)
    db.dispose()
    lines: list[str] = ["\\set r random(1, 1000000000000000)"]
    statements = transactions = 0
    open_tx = False
    with psycopg.connect(system.url) as conn:
        cursor = psycopg.ClientCursor(conn)
        for statement, params in log:
            if statement in ("COMMIT", "ROLLBACK"):
                if open_tx:
                    lines.append(statement + ";")
                open_tx = False
                continue
            if not open_tx:
                lines.append("BEGIN;")
                open_tx = True
                transactions += 1
            sql = cursor.mogrify(statement, params)
            sql = UNIQUE.sub(lambda m: "'" + _variable(m.group(1)) + "'", sql)
            lines.append(" ".join(sql.split()) + ";")
            statements += 1
    return "\n".join(lines) + "\n", statements, transactions


def _variable(value: str) -> str:
    if "-" in value and len(value) == 36:  # an idempotency key (a UUID)
        return "00000000-0000-0000-0000-:r"
    prefix = re.match(r"(tx_qr_|noti_|pmt_|E2E|DROP-)", value)
    assert prefix is not None
    # Two notifications per payment: keep them apart with the value's own tail.
    return f"{prefix.group(1)}{value[-2:]}:r"


def paid_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM transactions WHERE type = 'qr_payment' AND status = 'completed'"
        ).fetchone()
        assert row is not None
        return int(row[0])


def payments_vs_pgbench(system: System, w: World, seconds: float, clients: int) -> float:
    from drop.v1 import transactions_pb2

    script, statements, transactions = payment_script(system, w)
    script_path = system.work / "payment.sql"
    script_path.write_text(script)
    body = grpc_frame(transactions_pb2.PayMerchantRequest(merchant_id=w.merchant_id, amount=1.0))
    headers = {
        "content-type": "application/grpc",
        "te": "trailers",
        "authorization": f"Bearer {w.token}",
    }
    load = h2load(
        system.direct + "/drop.v1.TransactionService/PayMerchant",
        seconds,
        clients,
        body=body,
        headers=headers,
        work=system.work,
        # Every payment the database holds afterwards counts, so none is made outside the count.
        warm_up=False,
    )

    def drop_run() -> tuple[int, int, float]:
        before = paid_count(system.url)
        answered, failed, elapsed = load()
        time.sleep(1)  # calls in flight when h2load stopped finish (and count) before pgbench
        # Only payments the bank accepted count (h2load sees gRPC errors as HTTP 200).
        paid = paid_count(system.url) - before
        # Calls still in flight when h2load stops may complete uncounted by h2load.
        return paid, failed + max(0, answered - paid), elapsed

    drop = measure(
        "Drop QR payments, gRPC straight to the workers",
        drop_run,
        {"workers": system.worker_pids(), "postgres": [system.pg_pid]},
    )

    def pgbench_run() -> tuple[int, int, float]:
        before = paid_count(system.url)
        command = [
            str(system.pg_bin / "pgbench"), "-n", "-h", system.pg_host, "-U", "postgres",
            "-c", str(clients), "-j", "1", "-T", str(max(1, round(seconds))), "-M", "simple",
            "-f", str(script_path), "postgres",
        ]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        done = re.search(r"number of transactions actually processed: (\d+)", out)
        failed = re.search(r"number of failed transactions: (\d+)", out)
        assert done is not None, out
        # The script really pays: each of its transactions leaves one completed payment.
        assert paid_count(system.url) - before == int(done.group(1)), out
        return int(done.group(1)), int(failed.group(1)) if failed else 0, float(round(seconds))

    bench = measure("pgbench, the same SQL", pgbench_run, {"postgres": [system.pg_pid]})
    table(
        f"(b) QR payments against pgbench running the same SQL ({clients} clients): one payment"
        f" is {statements} statements in {transactions} transactions",
        [drop, bench],
        bench,
    )
    return drop.rps / bench.rps


# ---- growth


def bulk_insert(url: str, w: World, rows: int) -> None:
    """The merchant's owner pays the merchant `rows` times, one a minute back from now."""
    import psycopg

    with psycopg.connect(url) as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'transactions' ORDER BY ordinal_position"
            )
        ]
        have = conn.execute(
            "SELECT count(*) FROM transactions WHERE user_id = %s", (w.owner_id,)
        ).fetchone()
        assert have is not None
        start = int(have[0])
        if start >= rows:
            return
        replaced = {
            "id": "'tx_g' || g",
            "user_id": "%(user)s",
            "bank_account_id": "%(account)s",
            "status": "'completed'",
            "end_to_end_id": "'E2Eg' || g",
            "reference": "'DROP-G' || g",
            "payment_id": "'pmt_g' || g",
            "created_at": "now() - g * interval '1 minute'",
            "completed_at": "now() - g * interval '1 minute'",
        }
        select = ", ".join(replaced.get(column, f"t.{column}") for column in columns)
        conn.execute(
            f"INSERT INTO transactions ({', '.join(columns)}) SELECT {select}"  # noqa: S608
            " FROM transactions t, generate_series(%(start)s::int, %(end)s::int) g"
            " WHERE t.id = %(tx)s",
            {
                "user": w.owner_id,
                "account": w.owner_account,
                "start": start + 1,
                "end": rows,
                "tx": w.template_tx,
            },
        )
        conn.commit()
        # One statement just updated each day's totals row once per inserted row; autovacuum
        # would clear those dead versions within a minute on a live system: do it now.
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE transactions, user_daily_totals, merchant_daily_totals")


def p50(url: str, token: str, samples: int) -> float:
    request = urllib.request.Request(  # noqa: S310
        url, headers={"authorization": f"Bearer {token}"}
    )
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            answer.read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def deep_cursor(url: str, w: World, offset: int) -> str:
    """The cursor a client holds after reading `offset` rows of the list page by page."""
    import psycopg

    from drop_server.domain.pagination import encode_cursor

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT created_at, id FROM transactions WHERE user_id = %s AND status <> 'rejected'"
            " ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
            (w.owner_id, max(0, offset - 1)),
        ).fetchone()
    assert row is not None
    return encode_cursor(row[0], row[1])


def growth(system: System, w: World, sizes: list[int], samples: int) -> list[str]:
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        started = time.monotonic()
        bulk_insert(system.url, w, size)
        inserted = time.monotonic() - started
        deep = max(1, size // 20 // 2)
        cursor = urllib.parse.quote(deep_cursor(system.url, w, (deep - 1) * 20))
        routes = {
            "list, first page": "/api/transactions",
            f"list, deep page by cursor (page {deep})": f"/api/transactions?cursor={cursor}",
            f"list, deep page by OFFSET (page {deep})": f"/api/transactions?page={deep}",
            "summary": "/api/transactions/summary",
            "merchant dashboard (month)": "/api/merchants/dashboard?period=month",
            "merchant transactions, first page": "/api/merchants/transactions",
        }
        results[size] = {
            name.split(" (")[0]: p50(system.rest + path, w.owner_token, samples)
            for name, path in routes.items()
        }
        print(f"  {size} rows ready ({inserted:.0f} s to insert)")
    small, large = sizes[0], sizes[-1]
    print(f"\n## (d) growth: one user's history, p50 of {samples} requests via REST (ms)")
    print(f"{'request':36} {small:>10} {large:>10} {'x':>8}")
    lines = []
    for name in results[small]:
        a, b = results[small][name], results[large][name]
        print(f"{name:36} {a:10.1f} {b:10.1f} {b / a:8.1f}")
        if "OFFSET" in name:
            continue  # shown, not a goal: a page number is read by skipping every earlier row
        limit = 2.0 if name in ("summary", "merchant dashboard") else 1.5
        lines.append(goal(f"{name} at {large} vs {small} rows", b / a, limit, at_most=True))
    return lines


# ---- workers


def workers_scaling(system: System, w: World, seconds: float, clients: int, n: int) -> float:
    from drop.v1 import transactions_pb2

    body = grpc_frame(transactions_pb2.ListTransactionsRequest())
    headers = {
        "content-type": "application/grpc",
        "te": "trailers",
        "authorization": f"Bearer {w.token}",
    }
    rows = []
    for workers in (n, 1):
        if system.workers != workers:
            system.stop()
            system.start(workers)
        load = h2load(
            system.rest + "/drop.v1.TransactionService/ListTransactions",
            seconds,
            clients,
            body=body,
            headers=headers,
            work=system.work,
        )
        rows.append(
            measure(
                f"{workers} worker(s), gRPC via Envoy",
                load,
                {"workers": system.worker_pids(), "postgres": [system.pg_pid]},
            )
        )
    table(
        f"(e) authenticated read with 1 and {n} workers ({clients} clients)",
        rows,
        rows[1],
        note=f"{os.cpu_count()} cores; the load generator and PostgreSQL share them.",
    )
    return rows[0].rps / rows[1].rps


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1024 // 1024} GiB, "
        f"load average {' '.join(load)} at the start, Python {sys.version.split()[0]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=11)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--quick", action="store_true", help="one short round of each (smoke)")
    parser.add_argument("--streams", type=int, default=2000, help="open event streams in (g)")
    parser.add_argument("--only-streams", action="store_true", help="run (g) alone")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.clients, args.rows, args.samples = 1.0, 2, 2000, 1
    for tool in ("h2load",):
        if shutil.which(tool) is None:
            print(f"{tool} not found: apt-get install nghttp2-client", file=sys.stderr)
            return 2
    print(f"# Drop bench\nMachine: {machine()}")
    print(f"{args.clients} clients, {args.seconds:g} s per side, {args.workers} workers")
    goals: list[str] = []
    with tempfile.TemporaryDirectory(prefix="drop-bench-") as tmp:
        work = Path(tmp)
        with embedded_postgres(work) as (url, pg_pid, pg_bin, pg_host):
            system = System(work, url, pg_pid, pg_bin, pg_host)
            try:
                system.start(args.workers)
                from drop_server.db.engine import Database

                db = Database(url, pool_size=1)
                w = world(db)
                db.dispose()
                check_grpc(system, w)
                if args.streams:
                    goals += streams_goals(system, w, args)
                if args.only_streams:
                    return _print_goals(goals)
                found = transport(system, w, args.seconds, args.clients)
                rest, direct = found["authenticated read rest"], found["authenticated read direct"]
                goals.append(
                    goal("REST via Envoy / gRPC to the workers", rest.rps / direct.rps, 0.8)
                )
                drop_list = replace(found["authenticated read rest"], name="Drop via Envoy (REST)")
                theirs = peer(system, w, args.seconds, args.clients, drop_list)
                goals.append(goal("Drop via Envoy / FastAPI peer", drop_list.rps / theirs.rps, 1.5))
                goals += growth(system, w, [max(1000, args.rows // 1000), args.rows], args.samples)
                paid = payments_vs_pgbench(system, w, args.seconds, args.clients)
                goals.append(goal("payments / pgbench on the same SQL", paid, 0.5))
                rss = [rss_mib(pid) for pid in system.worker_pids()]
                shown = ", ".join(f"{r:.0f}" for r in rss)
                print(f"\n## (f) RSS per worker after the load: {shown} MiB")
                goals.append(goal("largest worker RSS (MiB)", max(rss), 150, at_most=True))
                if args.workers > 1:
                    scale = workers_scaling(system, w, args.seconds, args.clients, args.workers)
                    target = 0.85 * args.workers
                    goals.append(goal(f"{args.workers} workers / 1 worker", scale, target))
            finally:
                system.stop()
    return _print_goals(goals)


def _print_goals(goals: list[str]) -> int:
    print("\n## Goals\n" + "\n".join(goals))
    return 0


def streams_goals(system: System, w: World, args: argparse.Namespace) -> list[str]:
    import httpx

    from bench.streams import live_events

    def pay() -> None:
        response = httpx.post(
            f"{system.rest}/api/transactions/qr-payment",
            json={"merchantId": w.merchant_id, "amount": 1},
            headers={"authorization": f"Bearer {w.token}"},
            timeout=30,
        )
        response.raise_for_status()

    assert system.serve is not None
    rows = live_events(
        system.rest, system.serve.pid, w.token, pay, rss_mib, args.streams, args.seconds,
        args.clients,
    )  # fmt: skip
    return [goal(text, value, target, at_most=at_most) for text, value, target, at_most in rows]


if __name__ == "__main__":
    sys.exit(main())
