"""A database fault is a 503 `service_unavailable` with Retry-After over REST and UNAVAILABLE
over gRPC, answered within a bound of a few seconds, and health keeps answering within a
second. A `drop serve` of its own reaches the session's PostgreSQL through the fault proxy.

The bounds are the README's ("Staying up"): a refused connection is answered at once, a
partition within PARTITION_BOUND_SECONDS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import grpc
import httpx
import pytest

from drop.v1 import auth_pb2, auth_pb2_grpc
from tests.conftest import fresh_ip, registration
from tests.e2e.serve_process import ServeProcess, wait_for
from tests.support.fault_proxy import FaultProxy, unix_socket_of

PARTITION_BOUND_SECONDS = 8.0
REFUSED_BOUND_SECONDS = 3.0
HEALTH_BOUND_SECONDS = 1.0
CONCURRENT_CALLS = 36


@pytest.fixture(scope="module")
def proxy(postgres_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(unix_socket_of(postgres_url)) as fault_proxy:
        yield fault_proxy


@pytest.fixture(scope="module")
def system(
    proxy: FaultProxy, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    serve = ServeProcess(
        tmp_path_factory.mktemp("db-faults"),
        extra_env={"DATABASE_URL": proxy.database_url(postgres_url)},
    )
    serve.start()
    yield serve
    proxy.pass_through()
    serve.stop()


@pytest.fixture(scope="module")
def token(system: ServeProcess) -> str:
    with httpx.Client(base_url=system.http_url, timeout=10) as client:
        response = client.post(
            "/api/auth/register", json=registration(), headers={"X-Drop-Client": "mobile"}
        )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["token"])


@pytest.fixture
def healed(proxy: FaultProxy, system: ServeProcess, token: str) -> Iterator[None]:
    yield
    proxy.pass_through()
    wait_for(lambda: rest_me(system, token)[0] == 200, 10, "recovery after the fault")


def rest_me(system: ServeProcess, token: str) -> tuple[int, dict[str, str], float]:
    started = time.monotonic()
    with httpx.Client(
        base_url=system.http_url,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
        timeout=40,
    ) as client:
        response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    elapsed = time.monotonic() - started
    if response.status_code != 200:
        assert response.headers["content-type"] == "application/json"
        assert set(response.json()) >= {"error", "message", "details"}
    return response.status_code, dict(response.headers), elapsed


def grpc_me(system: ServeProcess, token: str) -> tuple[str, dict[str, str], float]:
    started = time.monotonic()
    with grpc.insecure_channel(system.grpc_target) as channel:
        try:
            auth_pb2_grpc.AuthServiceStub(channel).GetMe(
                auth_pb2.GetMeRequest(),
                metadata=(("authorization", f"Bearer {token}"),),
                timeout=40,
            )
            return "OK", {}, time.monotonic() - started
        except grpc.RpcError as error:
            trailers = {k: v for k, v in error.trailing_metadata() or () if isinstance(v, str)}
            return error.code().name, trailers, time.monotonic() - started


def health(system: ServeProcess) -> tuple[int, float]:
    started = time.monotonic()
    with httpx.Client(base_url=system.http_url, timeout=10) as client:
        status = client.get("/api/health").status_code
    return status, time.monotonic() - started


def test_refused_connections_are_503_with_retry_after_at_once(
    proxy: FaultProxy, system: ServeProcess, token: str, healed: None
) -> None:
    assert rest_me(system, token)[0] == 200
    proxy.refuse()
    for _ in range(3):
        status, headers, elapsed = rest_me(system, token)
        assert status == 503 and headers["retry-after"] == "2"
        assert elapsed < REFUSED_BOUND_SECONDS
        code, trailers, elapsed = grpc_me(system, token)
        assert code == "UNAVAILABLE" and trailers["retry-after"] == "2"
        assert elapsed < REFUSED_BOUND_SECONDS
    wait_for(lambda: health(system)[0] == 503, 3, "health to report the database down")
    proxy.accept()
    wait_for(lambda: rest_me(system, token)[0] == 200, 3, "recovery once the database is back")


def test_during_a_partition_every_request_is_answered_503_within_the_bound(
    proxy: FaultProxy, system: ServeProcess, token: str, healed: None
) -> None:
    assert rest_me(system, token)[0] == 200 and grpc_me(system, token)[0] == "OK"
    proxy.blackhole()
    # More calls than the two workers have request threads (2 x 16): all of them are busy.
    with ThreadPoolExecutor(max_workers=CONCURRENT_CALLS) as pool:
        rest_calls = [pool.submit(rest_me, system, token) for _ in range(CONCURRENT_CALLS // 2)]
        grpc_calls = [pool.submit(grpc_me, system, token) for _ in range(CONCURRENT_CALLS // 2)]
        # Health answers within a second while every request thread waits on the database.
        time.sleep(0.5)
        for _ in range(3):
            assert health(system)[1] < HEALTH_BOUND_SECONDS
        wait_for(lambda: health(system)[0] == 503, 5, "health to report the partition")
        rest_results = [call.result() for call in rest_calls]
        grpc_results = [call.result() for call in grpc_calls]
    assert {status for status, _, _ in rest_results} == {503}
    assert {code for code, _, _ in grpc_results} == {"UNAVAILABLE"}
    slowest = max(elapsed for _, _, elapsed in [*rest_results, *grpc_results])
    assert slowest < PARTITION_BOUND_SECONDS, slowest
    started = time.monotonic()
    proxy.heal()
    wait_for(lambda: rest_me(system, token)[0] == 200, 5, "recovery after the partition")
    assert time.monotonic() - started < 5
