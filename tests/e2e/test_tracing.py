"""Traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, a REST call through Envoy is a server span in
the client's trace (its `traceparent`), with its SQL statements as child spans, exported over
OTLP/HTTP to a real receiver."""

from __future__ import annotations

import http.server
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.conftest import registration
from tests.support.databases import fresh_database
from tests.support.drop_process import DropSystem, running_drop

Span = tuple[str, str, str, str, dict[str, str]]  # trace id, span id, parent id, name, attributes


class Receiver(http.server.ThreadingHTTPServer):
    spans: list[Span]


class OtlpHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                for span in scope.spans:
                    attributes = {a.key: a.value.string_value for a in span.attributes}
                    self.server.spans.append(  # type: ignore[attr-defined]
                        (
                            span.trace_id.hex(),
                            span.span_id.hex(),
                            span.parent_span_id.hex(),
                            span.name,
                            attributes,
                        )
                    )
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(("127.0.0.1", 0), OtlpHandler)
    server.spans = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def traced(postgres_url: str, tmp_path: Path, receiver: Receiver) -> Iterator[DropSystem]:
    url = fresh_database(postgres_url, "traces")
    with running_drop(
        url,
        tmp_path,
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{receiver.server_address[1]}",
        OTEL_BSP_SCHEDULE_DELAY="100",
        OTEL_SERVICE_NAME="drop-test",
    ) as system:
        yield system


def test_a_rest_call_is_traced_with_its_sql_in_the_clients_trace(
    traced: DropSystem, receiver: Receiver
) -> None:
    trace_id = uuid.uuid4().hex
    parent = uuid.uuid4().hex[:16]
    with httpx.Client(base_url=traced.http_url, timeout=15) as client:
        assert client.post("/api/auth/register", json=registration()).status_code == 201
        response = client.get(
            "/api/transactions", headers={"traceparent": f"00-{trace_id}-{parent}-01"}
        )
        assert response.status_code == 200
    deadline = time.monotonic() + 20
    while True:
        mine = [span for span in receiver.spans if span[0] == trace_id]
        servers = [s for s in mine if s[3] == "/drop.v1.TransactionService/ListTransactions"]
        sql = [s for s in mine if servers and s[2] == servers[0][1]]
        if servers and sql:
            break
        assert time.monotonic() < deadline, f"spans seen: {[s[3] for s in receiver.spans]}"
        time.sleep(0.2)
    assert servers[0][2] == parent  # continues the client's span
    assert any(s[4].get("db.system") == "postgresql" for s in sql), sql
    # SQL parameters (personal data) are never span attributes.
    assert not any("@" in value for s in mine for value in s[4].values())
