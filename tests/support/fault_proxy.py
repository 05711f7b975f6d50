"""A TCP proxy between Drop and PostgreSQL that injects the faults a network and a database
really have, on command and deterministically:

- `reset()`: every open connection is torn down with a TCP RST (a database restart, a NAT drop);
- `refuse()` / `accept()`: the port stops listening (connection refused) and comes back;
- `blackhole()` / `heal()`: a partition: bytes vanish in both directions and new connections
  hang; `heal()` resets what was cut off, as a real partition leaves dead connections behind;
- `delay(seconds)`: every chunk waits before it is forwarded;
- `lose_commit_acks(every=N)`: every Nth `COMMIT` reaches PostgreSQL and is carried out, but
  its answer never reaches the client, whose connection is reset instead: the client cannot tell
  whether its transaction committed.

It speaks just enough of the PostgreSQL wire protocol (message framing, the untyped start-up
messages) to find `COMMIT` and the `ReadyForQuery` that ends its answer; the rest is bytes.
The upstream is a TCP address or a Unix socket path (the embedded server listens on one).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102


def _rst(sock: socket.socket) -> None:
    """Closes with a TCP RST (linger 0), not a polite FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # A thread blocked in recv() keeps the socket alive past close(); SHUT_RD wakes it first.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)
    with contextlib.suppress(OSError):
        sock.close()


@dataclass(eq=False)
class _Link:
    client: socket.socket
    server: socket.socket | None = None
    # SSL/GSSENC requests the client sent: the server answers each with one untyped byte.
    untyped_answers: int = 0
    commit_doomed: bool = False
    cut_off: bool = False
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, server: socket.socket) -> bool:
        """Connects the upstream side, unless the link was closed meanwhile (then the server
        socket is closed here, not leaked)."""
        with self.lock:
            if not self.closed:
                self.server = server
                return True
        with contextlib.suppress(OSError):
            server.close()
        return False

    def close(self, *, reset: bool) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.server):
            if sock is None:
                continue
            if reset:
                _rst(sock)
            else:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()


class _Frames:
    """Splits a byte stream into PostgreSQL messages."""

    def __init__(self, *, typed: bool) -> None:
        self.buffer = b""
        self.typed = typed

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next_untyped(self) -> bytes | None:
        if len(self.buffer) < 4:
            return None
        (length,) = struct.unpack("!i", self.buffer[:4])
        if len(self.buffer) < length:
            return None
        message, self.buffer = self.buffer[:length], self.buffer[length:]
        return message

    def next_typed(self) -> bytes | None:
        if len(self.buffer) < 5:
            return None
        (length,) = struct.unpack("!i", self.buffer[1:5])
        if len(self.buffer) < length + 1:
            return None
        message, self.buffer = self.buffer[: length + 1], self.buffer[length + 1 :]
        return message

    def next_byte(self) -> bytes | None:
        if not self.buffer:
            return None
        byte, self.buffer = self.buffer[:1], self.buffer[1:]
        return byte


class FaultProxy:
    def __init__(
        self, upstream: str | tuple[str, int], *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.upstream = upstream
        self.host = host
        self.port = port
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()
        self._blackholed = False
        self._delay = 0.0
        self._lose_every = 0
        self._commits = 0
        self.commits_lost = 0
        self.connections = 0

    # Life cycle

    def start(self) -> FaultProxy:
        self._listen()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._close_listener()
        self.reset()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def database_url(self, database_url: str) -> str:
        """`database_url` rewritten to reach the same database through this proxy."""
        parts = urlsplit(database_url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("host", "port")]
        user = parts.username or "postgres"
        password = f":{parts.password}" if parts.password else ""
        netloc = f"{user}{password}@{self.host}:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), ""))

    # Faults

    def reset(self) -> None:
        with self._lock:
            links = list(self._links)
            self._links.clear()
        for link in links:
            link.close(reset=True)

    def refuse(self) -> None:
        self._close_listener()
        self.reset()

    def accept(self) -> None:
        if self._listener is None:
            self._listen()

    def blackhole(self) -> None:
        with self._lock:
            self._blackholed = True
            for link in self._links:
                link.cut_off = True

    def heal(self) -> None:
        with self._lock:
            self._blackholed = False
            cut = [link for link in self._links if link.cut_off]
            for link in cut:
                self._links.discard(link)
        for link in cut:
            link.close(reset=True)

    def delay(self, seconds: float) -> None:
        self._delay = seconds

    def lose_commit_acks(self, every: int) -> None:
        """Every `every`-th COMMIT from now on loses its acknowledgement (0: none)."""
        with self._lock:
            self._lose_every = every
            self._commits = 0

    def pass_through(self) -> None:
        """Ends every fault (connections already broken stay broken)."""
        self.lose_commit_acks(0)
        self.delay(0.0)
        self.heal()
        self.accept()

    # Plumbing

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                listener.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(client=client)
            with self._lock:
                self._links.add(link)
                self.connections += 1
                link.cut_off = self._blackholed
            threading.Thread(target=self._open, args=(link,), daemon=True).start()

    def _connect_upstream(self) -> socket.socket:
        if isinstance(self.upstream, str):
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                server.connect(self.upstream)
            except OSError:
                server.close()
                raise
        else:
            server = socket.create_connection(self.upstream)
            server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return server

    def _open(self, link: _Link) -> None:
        # A partitioned network cannot even complete the upstream handshake.
        while link.cut_off and not link.closed:
            time.sleep(0.05)
        if link.closed:
            return
        try:
            server = self._connect_upstream()
        except OSError:
            self._drop(link)
            return
        if not link.attach(server):
            return
        threading.Thread(target=self._client_to_server, args=(link,), daemon=True).start()
        self._server_to_client(link)

    def _drop(self, link: _Link, *, reset: bool = True) -> None:
        with self._lock:
            self._links.discard(link)
        link.close(reset=reset)

    def _send(self, link: _Link, sock: socket.socket, data: bytes) -> bool:
        if self._delay:
            time.sleep(self._delay)
        if link.cut_off:
            return True  # swallowed by the partition
        try:
            sock.sendall(data)
        except OSError:
            return False
        return True

    def _receive(self, link: _Link, sock: socket.socket) -> bytes | None:
        """The next bytes from `sock`, or None once it is closed (the link is then dropped)."""
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self._drop(link, reset=False)
            return None
        return data

    def _is_doomed_commit(self, message: bytes) -> bool:
        if message[:1] != b"Q" or not message[5:].lstrip().upper().startswith(b"COMMIT"):
            return False
        with self._lock:
            if not self._lose_every:
                return False
            self._commits += 1
            doomed = self._commits % self._lose_every == 0
            if doomed:
                self.commits_lost += 1
            return doomed

    def _client_to_server(self, link: _Link) -> None:
        assert link.server is not None
        frames = _Frames(typed=False)
        while (data := self._receive(link, link.client)) is not None:
            frames.feed(data)
            while True:
                message = frames.next_typed() if frames.typed else frames.next_untyped()
                if message is None:
                    break
                if not frames.typed:
                    code = struct.unpack("!i", message[4:8])[0] if len(message) >= 8 else 0
                    if code in (SSL_REQUEST, GSSENC_REQUEST):
                        link.untyped_answers += 1
                    else:
                        frames.typed = code != CANCEL_REQUEST
                elif self._is_doomed_commit(message):
                    link.commit_doomed = True
                if not self._send(link, link.server, message):
                    self._drop(link)
                    return

    def _server_to_client(self, link: _Link) -> None:
        assert link.server is not None
        frames = _Frames(typed=True)
        while (data := self._receive(link, link.server)) is not None:
            frames.feed(data)
            while True:
                if link.untyped_answers > 0:
                    message = frames.next_byte()
                    if message is not None:
                        link.untyped_answers -= 1
                else:
                    message = frames.next_typed()
                if message is None:
                    break
                if link.commit_doomed:
                    # The COMMIT's answer ends with ReadyForQuery ('Z'): once PostgreSQL has
                    # sent it, the transaction is durable, and the client never hears so.
                    if message[:1] == b"Z":
                        self._drop(link)
                        return
                    continue
                if not self._send(link, link.client, message):
                    self._drop(link)
                    return


def unix_socket_of(database_url: str) -> str:
    """The socket file of a `postgresql://...?host=/dir` URL (the embedded server's kind)."""
    parts = urlsplit(database_url)
    params = dict(parse_qsl(parts.query))
    directory = params["host"]
    port = params.get("port") or str(parts.port or 5432)
    return f"{directory}/.s.PGSQL.{port}"
