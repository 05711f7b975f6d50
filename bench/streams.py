"""(g) Live events: many open Server-Sent Event streams on one streams process.

Opens N streams (GET /api/events through Envoy, HTTP/1.1, one connection each), waits until
every one is subscribed (its opening heartbeat arrived), and measures side by side in one run:
the streams process's RSS at 0, N/2 and N streams (flat memory: the second half costs what the
first did), unary throughput and mean latency of GET /api/transactions before and while the
streams are open, and how long one payment takes to reach all N streams."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx

OPEN_AT_ONCE = 200
SUBSCRIBE_TIMEOUT = 120.0


def streams_pid(serve_pid: int) -> int:
    found = subprocess.run(
        ["pgrep", "-P", str(serve_pid), "-f", "drop_server.cli streams"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if len(found) != 1:
        raise RuntimeError(f"expected one streams process under {serve_pid}, found {found}")
    return int(found[0])


class Streams:
    """N open SSE connections; counts the `data:` lines of each by event type."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self._host, self._port, self._token = host, port, token
        self.subscribed = 0
        self.seen: dict[str, int] = {}
        self.failed: list[str] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._seen_at: dict[str, list[float]] = {}

    async def open(self, count: int) -> None:
        for start in range(0, count, OPEN_AT_ONCE):
            batch = [self._open_one() for _ in range(min(OPEN_AT_ONCE, count - start))]
            await asyncio.gather(*batch)
        deadline = time.monotonic() + SUBSCRIBE_TIMEOUT
        while self.subscribed + len(self.failed) < len(self._tasks):
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.subscribed} of {len(self._tasks)} subscribed")
            await asyncio.sleep(0.05)
        if self.failed:
            raise RuntimeError(f"{len(self.failed)} streams failed: {self.failed[:3]}")

    async def _open_one(self) -> None:
        reader, writer = await asyncio.open_connection(self._host, self._port)
        writer.write(
            (
                f"GET /api/events HTTP/1.1\r\nHost: {self._host}\r\n"
                f"Authorization: Bearer {self._token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        self._writers.append(writer)
        self._tasks.append(asyncio.create_task(self._read(reader)))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        status = await reader.readline()
        if b" 200 " not in status:
            self.failed.append(status.decode(errors="replace").strip())
            return
        first = True
        while line := await reader.readline():
            text = line.decode(errors="replace")
            match = re.search(r'"type":"([^"]+)"', text)
            if not text.startswith("data: ") or match is None:
                continue
            kind = match.group(1)
            if first:
                first = False
                self.subscribed += 1
            self.seen[kind] = self.seen.get(kind, 0) + 1
            self._seen_at.setdefault(kind, []).append(time.monotonic())

    def last_seen(self, kind: str) -> float:
        return max(self._seen_at.get(kind, [0.0]))

    async def close(self) -> None:
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc/<pid>/stat."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def unary_latency(url: str, token: str, seconds: float, clients: int) -> tuple[float, float]:
    """Requests per second and mean latency (ms) of GET /api/transactions (h2load, HTTP/1.1)."""
    out = subprocess.run(
        ["h2load", "--h1", "-D", str(max(1, round(seconds))), "-c", str(clients), "-m", "1",
         "-t", "1", "--warm-up-time", "1", "-H", f"authorization: Bearer {token}",
         f"{url}/api/transactions"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
    mean = re.search(r"time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", out)
    if rps is None or mean is None:
        raise RuntimeError(f"h2load said:\n{out}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[mean.group(2)]
    return float(rps.group(1)), float(mean.group(1)) * scale


def live_events(
    rest_url: str,
    serve_pid: int,
    token: str,
    pay: Callable[[], Any],
    rss_mib: Callable[[int], float],
    count: int,
    seconds: float,
    clients: int,
) -> list[tuple[str, float, float, bool]]:
    """Returns (goal, value, target, at_most) rows."""
    pid = streams_pid(serve_pid)
    host, port = httpx.URL(rest_url).host, int(httpx.URL(rest_url).port or 80)
    before_rps, before_ms = unary_latency(rest_url, token, seconds, clients)
    rss = [rss_mib(pid)]
    idle_cpu: list[float] = []

    async def scenario() -> tuple[float, float, float, float, int]:
        streams = Streams(host, port, token)
        try:
            await streams.open(count // 2)
            rss.append(rss_mib(pid))
            await streams.open(count - count // 2)
            rss.append(rss_mib(pid))
            cpu_before = process_cpu_seconds(pid)
            during = await asyncio.to_thread(unary_latency, rest_url, token, seconds, clients)
            idle_cpu.append(process_cpu_seconds(pid) - cpu_before)
            paid_at = time.monotonic()
            await asyncio.to_thread(pay)
            deadline = time.monotonic() + 60
            while streams.seen.get("payment.completed", 0) < count:
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.01)
            fan_out_ms = (streams.last_seen("payment.completed") - paid_at) * 1000
            return (
                during[0],
                during[1],
                fan_out_ms,
                rss[-1],
                streams.seen.get("payment.completed", 0),
            )
        finally:
            await streams.close()

    during_rps, during_ms, fan_out_ms, _, reached = asyncio.run(scenario())
    per_stream_kib = (rss[2] - rss[0]) * 1024 / count
    first_half = rss[1] - rss[0]
    second_half = rss[2] - rss[1]
    print(f"\n## (g) live events: {count} open SSE streams on one streams process")
    print("| | value |\n|---|---:|")
    print(f"| streams process RSS, 0 / {count // 2} / {count} streams (MiB) | "
          f"{rss[0]:.0f} / {rss[1]:.0f} / {rss[2]:.0f} |")  # fmt: skip
    print(f"| memory per open stream (KiB) | {per_stream_kib:.1f} |")
    print(f"| unary GET /api/transactions, before / with the streams open (req/s) | "
          f"{before_rps:.0f} / {during_rps:.0f} |")  # fmt: skip
    print(f"| mean unary latency, before / with the streams open (ms) | "
          f"{before_ms:.2f} / {during_ms:.2f} |")  # fmt: skip
    print(f"| streams process CPU while the unary load ran ({seconds:g} s + warm-up) | "
          f"{idle_cpu[0]:.2f} s |")  # fmt: skip
    print(f"| one payment reached {reached} of {count} streams within (ms) | {fan_out_ms:.0f} |")
    growth = second_half / first_half if first_half > 0 else 1.0
    return [
        (f"open streams that heard the payment (of {count})", float(reached), float(count), False),
        ("memory of the 2nd half of the streams / the 1st half", growth, 1.25, True),
        ("memory per open stream (KiB)", per_stream_kib, 64.0, True),
        ("unary latency with the streams open / without", during_ms / before_ms, 1.25, True),
    ]
