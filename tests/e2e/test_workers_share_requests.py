"""Envoy spreads requests, not connections, over the workers: each worker is an endpoint of
its own (a Unix socket), so both do work even though Envoy keeps few HTTP/2 connections."""

from __future__ import annotations

import httpx

from tests.support.drop_process import DropSystem

# Below the rates' budget of 120 a minute per client address.
REQUESTS = 60


def worker_requests(admin_url: str) -> dict[str, int]:
    """Requests each worker endpoint of the `drop_grpc` cluster has been sent, by socket."""
    clusters = httpx.get(f"{admin_url}/clusters?format=json", timeout=10).json()
    (cluster,) = [c for c in clusters["cluster_statuses"] if c["name"] == "drop_grpc"]
    counts: dict[str, int] = {}
    for host in cluster["host_statuses"]:
        total = next((int(s.get("value", 0)) for s in host["stats"] if s["name"] == "rq_total"), 0)
        counts[host["address"]["pipe"]["path"]] = total
    return counts


def test_requests_through_envoy_reach_every_worker(
    drop_system: DropSystem, rest: httpx.Client
) -> None:
    before = worker_requests(drop_system.admin_url)
    assert len(before) == 2
    bodies = set()
    for _ in range(REQUESTS):
        response = rest.get("/api/rates")
        assert response.status_code == 200
        bodies.add(response.content)
    # Whichever worker answers, the same answer is the same bytes (map fields sorted), so its
    # ETag is the same too.
    assert len(bodies) == 1
    after = worker_requests(drop_system.admin_url)
    served = {path: after[path] - before[path] for path in after}
    assert sum(served.values()) >= REQUESTS
    # One request at a time: least-request balancing alternates; each worker gets a fair share.
    assert min(served.values()) >= REQUESTS // 4, served
