"""Supervision and shutdown: kill -9 a worker, Envoy or the embedded PostgreSQL under load and
Drop recovers by itself within seconds; kill -9 `drop serve` and its children (the embedded
PostgreSQL included) go with it;
any storm of stop signals ends everything. Runs a `drop serve` of its own (embedded
PostgreSQL, as `make run`), so the shared session system is not disturbed.

The tests run in order on one system: each leaves it running for the next."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import pytest

from drop.v1 import auth_pb2, auth_pb2_grpc
from tests.conftest import fresh_ip, registration
from tests.e2e.serve_process import ServeProcess, alive, wait_for

RECOVERY_SECONDS = 5.0
OK = {200, "OK"}
# What a client may see while a part is down: never a 500 or INTERNAL.
OUTAGE = {503, "UNAVAILABLE", "connection"}


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    serve = ServeProcess(tmp_path_factory.mktemp("stays-up"))
    serve.start()
    yield serve
    serve.stop()


@pytest.fixture(scope="module")
def token(system: ServeProcess) -> str:
    with httpx.Client(base_url=system.http_url, timeout=10) as client:
        response = client.post(
            "/api/auth/register", json=registration(), headers={"X-Drop-Client": "mobile"}
        )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["token"])


class Load:
    """A client calling GetMe (a database read) over REST through Envoy and over native
    gRPC straight to the workers, one after the other, recording every outcome."""

    def __init__(self, system: ServeProcess, token: str) -> None:
        self.results: list[tuple[float, str, object]] = []
        self._stop = threading.Event()
        self._rest = httpx.Client(
            base_url=system.http_url,
            transport=httpx.HTTPTransport(local_address=fresh_ip()),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        self._channel = grpc.insecure_channel(
            system.grpc_target,
            options=[
                ("grpc.initial_reconnect_backoff_ms", 100),
                ("grpc.max_reconnect_backoff_ms", 200),
            ],
        )
        self._metadata = (("authorization", f"Bearer {token}"),)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Load:
        self._thread.start()
        wait_for(lambda: self.streak(10), 10, "the load to succeed")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(15)
        self._rest.close()
        self._channel.close()

    def _run(self) -> None:
        stub = auth_pb2_grpc.AuthServiceStub(self._channel)
        while not self._stop.is_set():
            try:
                outcome: object = self._rest.get("/api/auth/me").status_code
            except httpx.TransportError:
                outcome = "connection"
            self.results.append((time.monotonic(), "rest", outcome))
            try:
                stub.GetMe(auth_pb2.GetMeRequest(), metadata=self._metadata, timeout=10)
                outcome = "OK"
            except grpc.RpcError as error:
                outcome = error.code().name
            self.results.append((time.monotonic(), "grpc", outcome))
            time.sleep(0.01)

    def since(self, started: float, transport: str | None = None) -> list[object]:
        return [
            outcome
            for at, kind, outcome in list(self.results)
            if at >= started and (transport is None or kind == transport)
        ]

    def streak(self, count: int) -> bool:
        """The last `count` calls of each transport succeeded."""
        recent = list(self.results)[-2 * count :]
        return len(recent) == 2 * count and all(outcome in OK for _, _, outcome in recent)

    def recovered_after(self, started: float) -> float:
        wait_for(lambda: self.streak(10), RECOVERY_SECONDS * 3, "requests to succeed again")
        return time.monotonic() - started


def test_a_killed_worker_is_restarted_and_the_other_keeps_answering(
    system: ServeProcess, token: str
) -> None:
    with Load(system, token) as load:
        victim = system.workers()[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: victim not in system.workers() and all(alive(p) for p in system.workers()),
            10,
            "the supervisor to restart the worker",
        )
        assert load.recovered_after(killed_at) < RECOVERY_SECONDS
        outcomes = load.since(killed_at)
        assert set(outcomes) <= OK | OUTAGE, outcomes
        # The surviving worker answered during the outage.
        assert sum(outcome in OK for outcome in outcomes) > len(outcomes) / 2
    assert "worker 1 exited with -9; restarting it" in system.log_text()


def test_a_killed_envoy_is_restarted_while_grpc_keeps_answering(
    system: ServeProcess, token: str
) -> None:
    with Load(system, token) as load:
        victim = system.envoy()
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: system.envoy() != victim, 10, "the supervisor to restart Envoy")
        assert load.recovered_after(killed_at) < RECOVERY_SECONDS
        assert set(load.since(killed_at, "rest")) <= OK | OUTAGE
        # Native gRPC to the workers does not go through Envoy.
        assert set(load.since(killed_at, "grpc")) == {"OK"}


def test_a_killed_embedded_postgres_is_restarted_and_requests_get_503_meanwhile(
    system: ServeProcess, token: str
) -> None:
    with Load(system, token) as load:
        victim = system.postgres()
        assert victim is not None
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: system.postgres() not in (None, victim), 15, "PostgreSQL to be restarted")
        assert load.recovered_after(killed_at) < RECOVERY_SECONDS * 2
        outcomes = load.since(killed_at)
        assert set(outcomes) <= OK | OUTAGE, outcomes
    assert "the embedded PostgreSQL is down; restarting it" in system.log_text()


def test_kill_9_of_drop_serve_takes_its_children_and_postgres_and_the_next_start_recovers(
    system: ServeProcess,
) -> None:
    assert system.process is not None
    children = system.children()
    system.process.kill()
    system.process.wait()
    wait_for(lambda: not any(alive(pid) for pid in children), 10, "the children to die")
    wait_for(lambda: system.postgres() is None, 15, "the embedded PostgreSQL to stop")
    system.start()
    assert set(system.children()).isdisjoint(children)
    with httpx.Client(base_url=system.http_url, timeout=10) as client:
        assert client.get("/api/health").status_code == 200


def test_any_storm_of_stop_signals_ends_everything_within_15_seconds(
    system: ServeProcess, tmp_path: Path
) -> None:
    assert system.process is not None
    everything = [*system.children(), system.postgres()]
    started = time.monotonic()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGTERM, signal.SIGINT):
        system.process.send_signal(signum)
        time.sleep(0.01)
    time.sleep(0.3)
    system.process.send_signal(signal.SIGINT)
    assert system.process.wait(15) == 0
    wait_for(lambda: not any(pid and alive(pid) for pid in everything), 2, "every child to end")
    assert time.monotonic() - started < 15
    # The data directory starts again cleanly.
    system.start()
    with httpx.Client(base_url=system.http_url, timeout=10) as client:
        assert client.get("/api/health").status_code == 200
