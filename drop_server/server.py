"""Builds the gRPC server of one worker process: interceptors, servicers, health, reflection."""

from __future__ import annotations

import logging
import signal
import threading
from concurrent import futures
from dataclasses import dataclass

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
from drop_server.api.routes import service_names
from drop_server.api.settings import SettingsServicer
from drop_server.api.transactions import TransactionServicer
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.providers import card_issuer, configured_bank
from drop_server.providers.bankid import BankIdClient

log = logging.getLogger(__name__)

THREADS_PER_WORKER = 16
SHUTDOWN_GRACE_SECONDS = 5.0

DROP_SERVICES = service_names()


def interceptors(settings: Settings, db: Database) -> list[grpc.ServerInterceptor]:
    return [CallInterceptor(), ErrorInterceptor(), AuthInterceptor(settings, db)]


def add_servicers(server: grpc.Server, settings: Settings, db: Database) -> None:
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
    drop_health_pb2_grpc.add_HealthServiceServicer_to_server(HealthServicer(settings, db), server)
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


@dataclass
class Worker:
    server: grpc.Server
    db: Database
    stop_probe: threading.Event

    def stop(self) -> None:
        self.stop_probe.set()
        self.server.stop(SHUTDOWN_GRACE_SECONDS).wait()
        self.db.dispose()


def start_worker(settings: Settings, database_url: str) -> Worker:
    db = Database(database_url, pool_size=THREADS_PER_WORKER)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=THREADS_PER_WORKER, thread_name_prefix="rpc"),
        interceptors=interceptors(settings, db),
        # Several worker processes bind the same port; the kernel spreads connections over them.
        options=[("grpc.so_reuseport", 1)],
    )
    add_servicers(server, settings, db)
    stop_probe = threading.Event()
    health_pb2_grpc.add_HealthServicer_to_server(
        standard_health(db, DROP_SERVICES, stop_probe), server
    )
    reflection.enable_server_reflection(
        [
            *DROP_SERVICES,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    address = f"{settings.host}:{settings.grpc_port}"
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen on {address}")
    server.start()
    return Worker(server=server, db=db, stop_probe=stop_probe)


def run_worker(settings: Settings, database_url: str) -> None:
    """Entry point of a worker process started by `drop serve`."""
    worker = start_worker(settings, database_url)
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("worker listening on %s:%s", settings.host, settings.grpc_port)
    stopping.wait()
    worker.stop()
