"""Operating Drop: request ids over REST and native gRPC, in envelopes and in the logs; JSON
log lines (workers and Envoy's access log); Prometheus metrics that move with the calls."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid

import grpc
import httpx
import pytest

from drop.v1 import rates_pb2, rates_pb2_grpc, transactions_pb2, transactions_pb2_grpc
from tests.e2e.helpers import MakeRest, signed_in
from tests.support.drop_process import DropSystem

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def log_entries(system: DropSystem) -> list[dict[str, object]]:
    entries = []
    for line in system.log_text().splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def wait_for_entry(read: object, request_id: str, seconds: float = 10.0) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        for entry in read():  # type: ignore[operator]
            if entry.get("request_id") == request_id:
                return entry
        assert time.monotonic() < deadline, f"no log line with request id {request_id}"
        time.sleep(0.1)


def access_log(system: DropSystem) -> list[dict[str, object]]:
    path = system.data_dir / "envoy" / "access.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_a_clients_request_id_comes_back_and_is_in_the_logs(
    drop_system: DropSystem, make_rest: MakeRest
) -> None:
    client, user = signed_in(make_rest)
    request_id = f"mobile-{uuid.uuid4().hex}"
    response = client.get("/api/transactions/tx_missing", headers={"X-Request-Id": request_id})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == request_id
    assert response.json() == {
        "error": "not_found",
        "message": response.json()["message"],
        "details": [],
        "requestId": request_id,
    }
    line = wait_for_entry(lambda: log_entries(drop_system), request_id)
    assert line["logger"] == "drop.rpc" and line["level"] == "INFO"
    assert line["method"] == "/drop.v1.TransactionService/GetTransaction"
    assert line["code"] == "not_found" and line["user_id"] == user["id"]
    assert isinstance(line["latency_ms"], float)
    envoy_line = wait_for_entry(lambda: access_log(drop_system), request_id)
    assert envoy_line["status"] == 404 or envoy_line["status"] == "404"
    assert envoy_line["path"] == "/api/transactions/tx_missing"


@pytest.mark.parametrize("sent", [None, "short", "has spaces in it", "x" * 129, 'quote"d-id'])
def test_a_missing_or_malformed_request_id_is_replaced(
    rest: httpx.Client, sent: str | None
) -> None:
    headers = {} if sent is None else {"X-Request-Id": sent}
    response = rest.get("/api/rates", headers=headers)
    assert response.status_code == 200
    assert UUID.fullmatch(response.headers["x-request-id"]), response.headers["x-request-id"]


def test_envelopes_written_by_envoy_and_lua_carry_the_request_id(
    rest: httpx.Client,
) -> None:
    for method, path, status in [
        ("GET", "/api/no-such-route", 404),  # Envoy's local reply
        ("DELETE", "/api/rates", 405),  # http_conventions.lua
        ("POST", "/api/auth/login", 415),  # rest.lua
    ]:
        request_id = f"edge-{uuid.uuid4().hex[:12]}"
        response = rest.request(
            method,
            path,
            headers={"X-Request-Id": request_id, "content-type": "text/plain"},
            content=b"x" if method == "POST" else None,
        )
        assert response.status_code == status, (path, response.text)
        assert response.headers["x-request-id"] == request_id
        assert response.json()["requestId"] == request_id, response.text


def test_native_grpc_returns_the_request_id_as_metadata(drop_system: DropSystem) -> None:
    for target in (drop_system.grpc_target, drop_system.envoy_target):
        with grpc.insecure_channel(target) as channel:
            rates = rates_pb2_grpc.RateServiceStub(channel)
            request_id = f"grpc-{uuid.uuid4().hex}"
            _, call = rates.ListRates.with_call(
                rates_pb2.ListRatesRequest(), metadata=[("x-request-id", request_id)]
            )
            assert dict(call.initial_metadata())["x-request-id"] == request_id
            _, call = rates.ListRates.with_call(rates_pb2.ListRatesRequest())
            assert UUID.fullmatch(dict(call.initial_metadata())["x-request-id"])
            with pytest.raises(grpc.RpcError) as caught:
                transactions_pb2_grpc.TransactionServiceStub(channel).GetTransaction(
                    transactions_pb2.GetTransactionRequest(id="tx_x"),
                    metadata=[("x-request-id", request_id + "-2")],
                )
            error = caught.value
            assert error.code() is grpc.StatusCode.UNAUTHENTICATED
            metadata = dict(error.trailing_metadata() or ()) | dict(error.initial_metadata() or ())
            assert metadata["x-request-id"] == request_id + "-2"
            envelope = json.loads(urllib.parse.unquote(str(metadata["x-error-body"])))
            assert envelope["requestId"] == request_id + "-2"


def scrape(system: DropSystem) -> dict[str, float]:
    text = httpx.get(system.metrics_url, timeout=10).text
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def test_metrics_move_with_the_calls(drop_system: DropSystem, make_rest: MakeRest) -> None:
    ok = 'drop_rpc_requests_total{code="ok",method="/drop.v1.RateService/ListRates"}'
    before = scrape(drop_system)
    client = make_rest()
    for _ in range(3):
        assert client.get("/api/rates").status_code == 200
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        rates_pb2_grpc.RateServiceStub(channel).ListRates(rates_pb2.ListRatesRequest())
    payer, _ = signed_in(make_rest)
    refused = payer.post("/api/transactions/qr-payment", json={"merchantId": "m_x", "amount": 1})
    assert refused.status_code in (404, 422), refused.text
    after = scrape(drop_system)
    assert after[ok] - before.get(ok, 0.0) == 4
    latency = 'drop_rpc_duration_seconds_count{method="/drop.v1.RateService/ListRates"}'
    assert after[latency] - before.get(latency, 0.0) == 4
    payments = {k: v for k, v in after.items() if k.startswith("drop_payments_total{")}
    assert sum(payments.values()) > sum(
        v for k, v in before.items() if k.startswith("drop_payments_total{")
    ), payments
    assert after["drop_db_pool_capacity"] > 0
    text = httpx.get(drop_system.metrics_url, timeout=10).text
    assert "# TYPE drop_jobs_queue_depth gauge" in text
    assert "# TYPE drop_jobs_failed gauge" in text
