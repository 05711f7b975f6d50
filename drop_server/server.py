"""Builds the gRPC server of one worker process: interceptors, servicers, health, reflection."""

from __future__ import annotations

import logging
import os
import signal
import threading
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from drop.v1 import (
    admin_pb2_grpc,
    auth_pb2_grpc,
    bank_accounts_pb2_grpc,
    cards_pb2_grpc,
    complaints_pb2_grpc,
    merchants_pb2_grpc,
    notifications_pb2_grpc,
    privacy_pb2_grpc,
    rates_pb2_grpc,
    recipients_pb2_grpc,
    settings_pb2_grpc,
    transactions_pb2_grpc,
    webhooks_pb2_grpc,
)
from drop.v1 import health_pb2_grpc as drop_health_pb2_grpc
from drop_server.api.admin import AdminServicer
from drop_server.api.auth import AuthServicer
from drop_server.api.bank_accounts import BankAccountServicer
from drop_server.api.cards import CardServicer
from drop_server.api.complaints import ComplaintServicer
from drop_server.api.health import HealthServicer, standard_health
from drop_server.api.interceptors import AuthInterceptor, CallInterceptor, ErrorInterceptor
from drop_server.api.merchants import MerchantServicer
from drop_server.api.notifications import NotificationServicer
from drop_server.api.privacy import PrivacyServicer
from drop_server.api.rates import RateServicer
from drop_server.api.recipients import RecipientServicer
from drop_server.api.request_checks import RequestDecodingInterceptor
from drop_server.api.routes import service_names
from drop_server.api.settings import SettingsServicer
from drop_server.api.transactions import TransactionServicer
from drop_server.api.webhooks import WebhookServicer
from drop_server.config import Settings
from drop_server.db.engine import Database, PoolOptions, WaitBounds
from drop_server.observability import metrics, tracing
from drop_server.process_lifetime import die_with_parent
from drop_server.providers import card_issuer, configured_bank
from drop_server.providers.bankid import BankIdClient
from drop_server.services.health import HealthMonitor

log = logging.getLogger(__name__)

THREADS_PER_WORKER = 16
SHUTDOWN_GRACE_SECONDS = 5.0
# Health has threads of its own, so it answers while every request thread is busy.
HEALTH_THREADS = 2
HEALTH_METHODS = frozenset({"/drop.v1.HealthService/GetHealth", "/grpc.health.v1.Health/Check"})
# The health monitor's own connection: it must notice a dead database within a second or two.
HEALTH_BOUNDS = WaitBounds(
    pool_checkout_seconds=1.0, statement_ms=1000, tcp_user_timeout_ms=1000, keepalive_idle_seconds=1
)

DROP_SERVICES = service_names()


class DedicatedPoolInterceptor(grpc.ServerInterceptor):
    """Runs the listed methods on a thread pool of their own. grpcio picks the pool from the
    behavior's `experimental_thread_pool` attribute; this must be the outermost interceptor,
    because the server only looks at the final handler."""

    def __init__(self, methods: frozenset[str], pool: futures.ThreadPoolExecutor) -> None:
        self._methods = methods
        self._pool = pool

    def intercept_service(self, continuation: Any, details: grpc.HandlerCallDetails) -> Any:
        handler = continuation(details)
        if details.method not in self._methods or handler is None or not handler.unary_unary:
            return handler
        inner = handler.unary_unary

        def run(request: Any, context: grpc.ServicerContext) -> Any:
            return inner(request, context)

        run.experimental_thread_pool = self._pool  # type: ignore[attr-defined]
        return grpc.unary_unary_rpc_method_handler(
            run,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def interceptors(settings: Settings, db: Database) -> list[grpc.ServerInterceptor]:
    # RequestDecoding sits inside ErrorInterceptor: its ApiErrors become 400 envelopes.
    return [
        CallInterceptor(),
        ErrorInterceptor(),
        RequestDecodingInterceptor(),
        AuthInterceptor(settings, db),
    ]


def add_servicers(
    server: grpc.Server, settings: Settings, db: Database, monitor: HealthMonitor | None = None
) -> None:
    bank = configured_bank(settings, db)
    assert settings.bankid_issuer is not None, (
        "drop serve sets the issuer (the sandbox's by default)"
    )
    bankid_client = BankIdClient(
        settings.bankid_issuer,
        settings.bankid_client_id,
        settings.bankid_client_secret,
        settings.bankid_redirect_uri,
    )
    auth_pb2_grpc.add_AuthServiceServicer_to_server(
        AuthServicer(settings, db, bankid_client), server
    )
    settings_pb2_grpc.add_SettingsServiceServicer_to_server(SettingsServicer(db), server)
    privacy_pb2_grpc.add_PrivacyServiceServicer_to_server(PrivacyServicer(settings, db), server)
    complaints_pb2_grpc.add_ComplaintServiceServicer_to_server(ComplaintServicer(db), server)
    issuer = card_issuer(settings.card_issuer)
    cards_pb2_grpc.add_CardServiceServicer_to_server(CardServicer(db, issuer), server)
    admin_pb2_grpc.add_AdminServiceServicer_to_server(AdminServicer(db, bank), server)
    drop_health_pb2_grpc.add_HealthServiceServicer_to_server(
        HealthServicer(settings, db, monitor), server
    )
    bank_accounts_pb2_grpc.add_BankAccountServiceServicer_to_server(
        BankAccountServicer(db, bank), server
    )
    rates_pb2_grpc.add_RateServiceServicer_to_server(RateServicer(db), server)
    recipients_pb2_grpc.add_RecipientServiceServicer_to_server(RecipientServicer(db), server)
    transactions_pb2_grpc.add_TransactionServiceServicer_to_server(
        TransactionServicer(db, bank), server
    )
    merchants_pb2_grpc.add_MerchantServiceServicer_to_server(MerchantServicer(db), server)
    notifications_pb2_grpc.add_NotificationServiceServicer_to_server(
        NotificationServicer(db), server
    )
    webhooks_pb2_grpc.add_WebhookServiceServicer_to_server(WebhookServicer(settings, db), server)


@dataclass
class Worker:
    server: grpc.Server
    db: Database
    health_db: Database
    monitor: HealthMonitor
    stop_probe: threading.Event

    def stop(self) -> None:
        """In-flight RPCs get SHUTDOWN_GRACE_SECONDS to finish; new ones are refused."""
        self.stop_probe.set()
        self.monitor.stop()
        self.server.stop(SHUTDOWN_GRACE_SECONDS).wait()
        tracing.stop()
        self.db.dispose()
        self.health_db.dispose()


def start_worker(settings: Settings, database_url: str) -> Worker:
    tracing.start()
    db = Database(database_url, pool_size=THREADS_PER_WORKER)
    metrics.observe_pool(db.engine, 2 * THREADS_PER_WORKER)
    tracing.instrument_engine(db.engine)
    health_db = Database(
        database_url, bounds=HEALTH_BOUNDS, pool=PoolOptions(size=1, overflow=0, pre_ping=False)
    )
    monitor = HealthMonitor(health_db).start()
    health_pool = futures.ThreadPoolExecutor(
        max_workers=HEALTH_THREADS, thread_name_prefix="health"
    )
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=THREADS_PER_WORKER, thread_name_prefix="rpc"),
        interceptors=[
            DedicatedPoolInterceptor(HEALTH_METHODS, health_pool),
            *tracing.server_interceptors(),
            *interceptors(settings, db),
        ],
        # Several worker processes bind the same port; the kernel spreads connections over them.
        options=[("grpc.so_reuseport", 1)],
    )
    add_servicers(server, settings, db, monitor)
    stop_probe = threading.Event()
    health_pb2_grpc.add_HealthServicer_to_server(
        standard_health(monitor, DROP_SERVICES, stop_probe), server
    )
    reflection.enable_server_reflection(
        [
            *DROP_SERVICES,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    # Workers listen on loopback by default (DROP_GRPC_HOST), not on DROP_HOST: their port has
    # no rate limits, body limits or timeouts, which Envoy adds.
    address = f"{settings.grpc_host}:{settings.grpc_port}"
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen on {address}")
    own_socket = os.environ.get("DROP_WORKER_SOCKET")
    if own_socket:
        # Envoy's endpoint for this worker alone (see worker_sockets.py); a restarted worker
        # takes over the path its predecessor left behind.
        Path(own_socket).unlink(missing_ok=True)
        if server.add_insecure_port(f"unix:{own_socket}") == 0:
            raise OSError(f"cannot listen on {own_socket}")
    server.start()
    return Worker(server=server, db=db, health_db=health_db, monitor=monitor, stop_probe=stop_probe)


STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def run_worker(settings: Settings, database_url: str) -> None:
    """Entry point of a worker process started by `drop serve`.

    The stop signals are blocked before any thread starts (threads inherit the mask) and
    taken with sigwait: no Python signal handler runs, so none can deadlock on a lock the
    interrupted thread holds. A second signal while stopping is simply never read."""
    supervisor = os.environ.get("DROP_SUPERVISOR_PID")
    if supervisor is not None:
        die_with_parent(int(supervisor))
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    worker = start_worker(settings, database_url)
    log.info("worker listening on %s:%s", settings.grpc_host, settings.grpc_port)
    signal.sigwait(STOP_SIGNALS)
    worker.stop()
