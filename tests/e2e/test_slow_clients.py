"""Slow or abandoned uploads cost Envoy, not worker threads: Envoy holds a request until its
whole body has arrived. Many stalled uploads from one address leave other users unaffected
(the workers have 2 x 16 request threads; more uploads than that are left hanging here)."""

from __future__ import annotations

import contextlib
import socket
import time

import httpx

from tests.conftest import DropSystem, fresh_ip, unique_email

STALLED_UPLOADS = 48


def stalled_upload(drop_system: DropSystem, source: str) -> socket.socket:
    host, port = drop_system.envoy_target.split(":")
    sock = socket.create_connection((host, int(port)), timeout=5, source_address=(source, 0))
    sock.sendall(
        b"POST /api/auth/login HTTP/1.1\r\nHost: drop\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n" + b'{"email": "slow'
    )
    return sock


def test_stalled_uploads_from_one_address_do_not_stall_other_users(
    drop_system: DropSystem,
) -> None:
    attacker = fresh_ip()
    sockets = [stalled_upload(drop_system, attacker) for _ in range(STALLED_UPLOADS)]
    try:
        with httpx.Client(
            base_url=drop_system.http_url,
            transport=httpx.HTTPTransport(local_address=fresh_ip()),
            timeout=10,
        ) as client:
            for _ in range(10):
                started = time.monotonic()
                response = client.post(
                    "/api/auth/login", json={"email": unique_email(), "password": "x"}
                )
                assert response.status_code in (400, 401), response.text
                assert time.monotonic() - started < 2.0
                assert client.get("/api/health").status_code == 200
    finally:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
