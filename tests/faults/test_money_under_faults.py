"""Money stays exact when anything fails: payments through REST and native gRPC while the
database connection is reset, refused, partitioned, delayed and loses COMMIT acknowledgements,
and while a worker is killed; then contradictory settlement reports racing the sandbox clearing.
Afterwards, per bank account: Drop's cached balance equals the bank's, start - end equals the
non-failed totals listed, every confirmed payment is listed once, and Drop has every payment in
the state the bank has it in, none left in flight.

Each scenario runs its own `drop serve` on a database of its own behind the fault proxy; the
sandbox bank, a separate party, reaches PostgreSQL directly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Outcome, World
from tests.support.databases import fresh_database
from tests.support.drop_process import DropSystem, running_drop
from tests.support.fault_proxy import FaultProxy, unix_socket_of

PAYERS_REST, PAYERS_GRPC, PER_PAYER = 16, 12, 8  # 224 payments a run


@pytest.fixture
def faulty(postgres_url: str, tmp_path: Path) -> Iterator[tuple[DropSystem, FaultProxy, str]]:
    direct = fresh_database(postgres_url, "faults")
    with FaultProxy(unix_socket_of(direct)) as proxy:
        proxied = proxy.database_url(direct)
        settings = {
            "DROP_SANDBOX_BANK_DATABASE_URL": direct,
            "DROP_RECONCILE_AFTER_SECONDS": "2",
            "DROP_RECONCILE_INTERVAL_SECONDS": "0.5",
            "DROP_SANDBOX_SETTLE_SECONDS": "1",
        }
        with running_drop(proxied, tmp_path, **settings) as system:
            yield system, proxy, direct


def settle_everything(world: World) -> dict[str, list[tuple[str, str]]]:
    world.wait_until(lambda: world.in_flight() == 0, 60, "reconciliation of open intents")
    races = world.race_settlements()
    world.wait_until(lambda: world.open_payments() == 0, 60, "the clearing")
    return races


def check_races(world: World, races: dict[str, list[tuple[str, str]]]) -> None:
    final = dict(world.sql("SELECT id, status FROM transactions WHERE type = 'remittance'"))
    for tx_id, reports in races.items():
        applied = [outcome for outcome, code in reports if code == "200"]
        assert len(applied) <= 1, f"{tx_id} settled {len(applied)} times"
        assert all(code in ("200", "409") for _, code in reports), reports
        if applied:
            assert final[tx_id] == applied[0]


def summary(outcomes: list[Outcome]) -> str:
    told = Counter(o.told for o in outcomes)
    codes = Counter(code for o in outcomes for code in o.codes)
    return f"told {dict(told)}; codes {dict(codes)}"


def test_network_and_database_faults_move_no_money_wrongly(
    faulty: tuple[DropSystem, FaultProxy, str],
) -> None:
    system, proxy, direct = faulty
    world = World(system, direct)
    try:
        world.populate(PAYERS_REST, PAYERS_GRPC)

        def faults() -> None:
            proxy.lose_commit_acks(every=6)
            time.sleep(1.5)
            proxy.reset()
            time.sleep(0.5)
            proxy.refuse()
            time.sleep(1.0)
            proxy.accept()
            proxy.lose_commit_acks(every=4)
            time.sleep(1.0)
            proxy.blackhole()
            time.sleep(1.5)
            proxy.heal()
            proxy.delay(0.01)
            time.sleep(1.0)
            proxy.pass_through()

        injector = threading.Thread(target=faults)
        injector.start()
        outcomes = world.load(PER_PAYER, seed=9)
        injector.join()
        proxy.pass_through()
        print(summary(outcomes), f"commits lost: {proxy.commits_lost}")
        assert proxy.commits_lost > 0
        assert any(o.told == "ok" and len(o.codes) > 1 for o in outcomes), "no retry converged"
        check_races(world, settle_everything(world))
        world.check_invariant(outcomes)
        report = system.drop("reconcile", DATABASE_URL=direct)
        assert report.returncode == 0, report.stdout + report.stderr
    finally:
        world.close()


def test_a_worker_killed_mid_payment_loses_nothing(
    faulty: tuple[DropSystem, FaultProxy, str], tmp_path: Path
) -> None:
    system, proxy, direct = faulty
    world = World(system, direct)
    try:
        world.populate(PAYERS_REST, PAYERS_GRPC)
        assert system.process is not None
        found = subprocess.run(
            ["pgrep", "-P", str(system.process.pid), "-f", "drop_server.cli worker"],
            capture_output=True,
            text=True,
            check=False,
        )
        workers = [int(pid) for pid in found.stdout.split()]
        assert workers, "no worker processes found"

        def crash() -> None:
            # Hold the database so that payments pile up mid-flight in every worker, then kill
            # each worker among them in turn (whichever has the clients' connections).
            time.sleep(1.0)
            for pid in workers:
                proxy.blackhole()
                time.sleep(0.7)
                os.kill(pid, signal.SIGKILL)
                proxy.heal()
                time.sleep(1.5)

        killer = threading.Thread(target=crash)
        killer.start()
        outcomes = world.load(PER_PAYER, seed=17)
        killer.join()
        print(summary(outcomes))
        assert any(len(o.codes) > 1 or o.told != "ok" for o in outcomes), "no payment was hit"
        if system.process.poll() is not None:
            # A supervisor that gave up: the next start (same data directory, so the same
            # signing secret and sessions) must find and resolve what was left open.
            with running_drop(
                proxy.database_url(direct),
                tmp_path,
                DROP_SANDBOX_BANK_DATABASE_URL=direct,
                DROP_RECONCILE_AFTER_SECONDS="2",
                DROP_RECONCILE_INTERVAL_SECONDS="0.5",
                DROP_SANDBOX_SETTLE_SECONDS="1",
            ) as again:
                world.use(again)
                check_races(world, settle_everything(world))
                world.check_invariant(outcomes)
        else:
            check_races(world, settle_everything(world))
            world.check_invariant(outcomes)
    finally:
        world.close()
