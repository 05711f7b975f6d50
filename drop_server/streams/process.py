"""`drop streams`: the process serving live event streams (started by `drop serve` beside the
unary workers for the `api` and `all` roles). Envoy sends it EventService calls over a Unix
socket of its own (`streams_socket`); one asyncio loop holds every open stream."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import grpc
from psycopg_pool import AsyncConnectionPool

from drop_server.auth.credentials import Credentials
from drop_server.auth.principal import Principal
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.errors import ApiError, Messages
from drop_server.process_lifetime import die_with_parent
from drop_server.services.sessions import (
    authenticate_api_key,
    authenticate_token,
    live_sessions,
)
from drop_server.streams.hub import EventHub
from drop_server.streams.servicer import EventServicer, event_service_handler
from drop_server.worker_sockets import streams_socket

log = logging.getLogger("drop.streams")

# Outbox reads at once; more wait their turn (a burst of events wakes many streams together).
POOL_SIZE = 4
# Sign-in checks at once (threads of the default executor, on the synchronous engine).
AUTH_CONNECTIONS = 2
STOP_GRACE_SECONDS = 2.0


def libpq_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


async def serve_streams(settings: Settings, database_url: str, address: str) -> None:
    db = Database(database_url, pool_size=AUTH_CONNECTIONS)
    pool = AsyncConnectionPool(libpq_url(database_url), min_size=1, max_size=POOL_SIZE, open=False)
    await pool.open()
    hub = EventHub(libpq_url(database_url))

    def signed_in_user(credentials: Credentials) -> Principal:
        kind, secret = credentials
        if kind == "api_key":
            # A valid key is still no user: 403, as on the workers (an invalid one is 401).
            authenticate_api_key(db, secret)
            raise ApiError.forbidden(Messages.API_KEY_NOT_A_USER)
        return authenticate_token(db, settings.jwt_secret, secret)

    async def authenticate(credentials: Credentials) -> Principal:
        return await asyncio.to_thread(signed_in_user, credentials)

    async def still_live(session_ids: set[str]) -> set[str]:
        return await asyncio.to_thread(live_sessions, db, session_ids)

    server = grpc.aio.server()
    servicer = EventServicer(hub, pool, authenticate, settings.stream_heartbeat_seconds)
    server.add_generic_rpc_handlers((event_service_handler(servicer),))
    if server.add_insecure_port(address) == 0:
        raise OSError(f"cannot listen on {address}")
    background = [
        asyncio.create_task(hub.listen_forever()),
        asyncio.create_task(
            hub.recheck_sessions_forever(still_live, settings.stream_session_check_seconds)
        ),
    ]
    await hub.ready()
    await server.start()
    log.info("streams listening on %s", address)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await server.stop(STOP_GRACE_SECONDS)
    for task in background:
        task.cancel()
    await pool.close()
    db.dispose()


def run_streams(settings: Settings, database_url: str) -> None:
    supervisor = os.environ.get("DROP_SUPERVISOR_PID")
    if supervisor is not None:
        die_with_parent(int(supervisor))
    path = streams_socket(settings.data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A restarted process takes over the path its predecessor left behind.
    path.unlink(missing_ok=True)
    asyncio.run(serve_streams(settings, database_url, f"unix:{path}"))
