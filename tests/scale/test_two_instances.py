"""Two complete instances (each its own Envoy, gRPC workers and jobs worker, on its own ports)
on one PostgreSQL: payments over REST through one and native gRPC through the other,
contradictory settlement reports through both, the sandbox clearing and reconciliation as jobs
that both instances' workers compete for, and one jobs worker killed mid-way. Afterwards every
job ran once, every remittance was settled and announced once, and the money invariant of
the fault tests holds. Live event streams opened on the first instance hear every event of
payments made through the second, in order, once each."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import grpc

from drop.v1 import admin_pb2_grpc, events_pb2, events_pb2_grpc, transactions_pb2_grpc
from tests.faults.harness import World
from tests.faults.test_money_under_faults import check_races, settle_everything
from tests.support.databases import fresh_database
from tests.support.drop_process import DropSystem, running_drop

SETTINGS = {
    "DROP_SANDBOX_SETTLE_SECONDS": "1",
    "DROP_RECONCILE_AFTER_SECONDS": "2",
    "DROP_RECONCILE_INTERVAL_SECONDS": "1",
    "DROP_WORKERS": "1",
    # Instances of one deployment share the signing secret: a session from one is good on the
    # other (without it each would make up its own development secret).
    "DROP_JWT_SECRET": "two-instances-share-this-signing-secret-0123456789",
}


def jobs_worker_of(system: DropSystem) -> int:
    assert system.process is not None
    found = subprocess.run(
        ["pgrep", "-P", str(system.process.pid), "-f", "drop_server.cli jobs-worker"],
        capture_output=True,
        text=True,
        check=False,
    )
    (pid,) = [int(p) for p in found.stdout.split()]
    return pid


class Listener:
    """An event stream of one user on one instance, collected on a thread."""

    def __init__(self, system: DropSystem, token: str) -> None:
        self.ids: list[int] = []
        self._opened = threading.Event()
        self._channel = grpc.insecure_channel(system.envoy_target)
        self._call = events_pb2_grpc.EventServiceStub(self._channel).StreamEvents(
            events_pb2.StreamEventsRequest(), metadata=(("authorization", f"Bearer {token}"),)
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._opened.wait(10), "the stream did not open"

    def _read(self) -> None:
        try:
            for message in self._call:
                self._opened.set()
                if message.id:
                    self.ids.append(int(message.id.removeprefix("evt_")))
        except grpc.RpcError:
            pass

    def close(self) -> None:
        self._call.cancel()
        self._thread.join(5)
        self._channel.close()


def test_two_instances_run_every_job_once_and_keep_money_exact(
    postgres_url: str, tmp_path: Path
) -> None:
    url = fresh_database(postgres_url, "scale")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    with (
        running_drop(url, tmp_path / "a", **SETTINGS) as first,
        running_drop(url, tmp_path / "b", **SETTINGS) as second,
    ):
        world = World(first, url)
        try:
            world.populate(rest_payers=6, grpc_payers=6)
            # REST (payments and half the settlement reports) through the first instance,
            # native gRPC through the second.
            world.channel = grpc.insecure_channel(second.grpc_target)
            world.payments = transactions_pb2_grpc.TransactionServiceStub(world.channel)
            world.admin = admin_pb2_grpc.AdminServiceStub(world.channel)
            # Streams on the first instance of payers who pay through the second.
            grpc_payers = [p for p in world.payers if p.transport == "grpc"][:3]
            listeners = {p.user_id: Listener(first, p.token) for p in grpc_payers}
            victim = jobs_worker_of(first)
            os.kill(victim, signal.SIGKILL)
            outcomes = world.load(per_payer=6, seed=11, threads=8)
            # Payments through either instance were taken (not refused as signed out).
            assert not [o for o in outcomes if "UNAUTHENTICATED" in o.codes]
            check_races(world, settle_everything(world))
            try:
                for user_id, listener in listeners.items():
                    committed = [
                        int(str(row[0]))
                        for row in world.sql(
                            "SELECT id FROM events WHERE user_id = :u ORDER BY id", u=user_id
                        )
                    ]
                    assert committed, user_id
                    deadline = time.monotonic() + 10
                    while listener.ids != committed and time.monotonic() < deadline:
                        time.sleep(0.1)
                    assert listener.ids == committed
            finally:
                for listener in listeners.values():
                    listener.close()
            world.check_invariant(outcomes)
            assert jobs_worker_of(first) != victim, "the killed jobs worker was not restarted"

            # Each remittance settled once: one final event and one notification each.
            settled = world.sql(
                "SELECT t.id, count(e.id) FROM transactions t JOIN transaction_events e"
                " ON e.transaction_id = t.id AND e.status IN ('completed', 'failed')"
                " WHERE t.type = 'remittance' AND t.status IN ('completed', 'failed')"
                " GROUP BY t.id"
            )
            assert settled and all(count == 1 for _, count in settled), settled
            announced = world.sql(
                "SELECT u.id, (SELECT count(*) FROM notifications n WHERE n.user_id = u.id"
                "   AND n.type IN ('remittance_completed', 'remittance_failed')),"
                " (SELECT count(*) FROM transactions t WHERE t.user_id = u.id"
                "   AND t.type = 'remittance' AND t.payment_id IS NOT NULL"
                "   AND t.status IN ('completed', 'failed'))"
                " FROM users u"
            )
            assert all(notes == remittances for _, notes, remittances in announced), announced

            # Every job ran once: one start per attempt, one job per periodic tick, and the
            # work was shared by the jobs workers of both instances.
            restarted = world.sql(
                "SELECT j.id, j.task_name, j.attempts, count(e.id) FROM procrastinate_jobs j"
                " JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'started'"
                " WHERE j.status = 'succeeded' GROUP BY j.id HAVING count(e.id) <> j.attempts"
            )
            assert restarted == [], restarted
            ticks = world.sql(
                "SELECT task_name, defer_timestamp, count(*) FROM procrastinate_periodic_defers"
                " GROUP BY 1, 2 HAVING count(*) > 1"
            )
            assert ticks == []
            cleared = world.sql(
                "SELECT count(*), count(DISTINCT worker_id) FROM procrastinate_jobs"
                " WHERE task_name = 'drop.sandbox_clearing' AND status = 'succeeded'"
            )[0]
            assert cleared[0] > 0 and cleared[1] >= 2, cleared
            failed = world.sql("SELECT task_name FROM procrastinate_jobs WHERE status = 'failed'")
            assert failed == []
        finally:
            world.close()
