"""A real HTTP receiver for webhook tests: records every POST, verifies nothing itself (the
tests do, with the secret shown at creation), and answers 500 to the first `failures` calls."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    url: str
    failures: int = 0
    calls: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} calls, got {len(self.calls)}")


def verified(call: Received, secret: str, tolerance: float = 300) -> bool:
    """What a merchant's server does (README "Webhooks"): recompute and compare in constant
    time, and refuse a timestamp too far from now (a replayed request)."""
    timestamp = call.headers["x-webhook-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + call.body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected, call.headers["x-webhook-signature"])


@contextmanager
def receiver(failures: int = 0) -> Iterator[Receiver]:
    state: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            target = state[0]
            with target.lock:
                status = 500 if len(target.calls) < target.failures else 200
                headers = {k.lower(): v for k, v in self.headers.items()}
                target.calls.append(Received(headers, body, status))
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/drop", failures))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def poll(
    read: Callable[[], object], done: Callable[[object], bool], timeout: float = 30.0
) -> object:
    """Reads until `done` holds, up to a deadline; returns the last value read."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s: {value!r}")
        time.sleep(0.1)
        value = read()
    return value
