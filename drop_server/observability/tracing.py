"""OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set (then the standard
OTEL_* variables apply: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, ...).
Off, nothing of the SDK is imported and no interceptor or engine hook is installed, so it costs
nothing. On, every RPC is a server span continuing the caller's trace (Envoy passes the
client's `traceparent` to the workers as gRPC metadata) and every SQL statement a child span
(without its parameters)."""

from __future__ import annotations

import os
from typing import Any

import grpc
from sqlalchemy import Engine

ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
_provider: Any = None


def enabled() -> bool:
    return bool(os.environ.get(ENDPOINT_ENV))


def start(service_name: str = "drop") -> bool:
    """Installs the tracer provider with an OTLP/HTTP exporter; False when tracing is off."""
    global _provider
    if not enabled():
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    _provider = TracerProvider(resource=Resource.create({"service.name": name}))
    _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(_provider)
    return True


def server_interceptors() -> list[grpc.ServerInterceptor]:
    if _provider is None:
        return []
    from opentelemetry.instrumentation.grpc import server_interceptor

    return [server_interceptor(tracer_provider=_provider)]


def instrument_engine(engine: Engine) -> None:
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses unchanged.
    SQLAlchemyInstrumentor().instrument(
        engine=engine, tracer_provider=_provider, skip_dep_check=True
    )


def stop() -> None:
    """Sends what is still buffered (a stopping worker)."""
    if _provider is not None:
        _provider.shutdown()
