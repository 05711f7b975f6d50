"""The rendered Envoy configuration: limits keyed on gRPC methods, and rest.lua's list of
amount fields kept equal to the protos' double fields."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from drop_server.api.routes import ROUTES, SERVICE_MODULES
from drop_server.config import load_settings
from drop_server.edge import (
    DEFAULT_PER_IP_PER_MINUTE,
    LUA,
    envoy_binary,
    rate_limited_routes,
    render_config,
)
from drop_server.worker_sockets import streams_socket, worker_sockets


def request_number_fields() -> set[str]:
    names: set[str] = set()

    def walk(message: object, seen: set[str]) -> None:
        if message.full_name in seen:  # type: ignore[attr-defined]
            return
        seen.add(message.full_name)  # type: ignore[attr-defined]
        for field in message.fields:  # type: ignore[attr-defined]
            if field.type in (field.TYPE_DOUBLE, field.TYPE_FLOAT):
                names.add(field.json_name)
            if field.message_type is not None:
                walk(field.message_type, seen)

    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                walk(method.input_type, set())
    return names


def test_rest_lua_refuses_strings_for_every_amount_field() -> None:
    listed = re.search(r"local NUMBER_FIELDS = \{([^}]*)\}", LUA.read_text())
    assert listed is not None
    assert set(re.findall(r'"(\w+)"', listed.group(1))) == request_number_fields()


def test_limits_are_keyed_on_grpc_methods_with_a_default_for_the_rest() -> None:
    routes = rate_limited_routes()
    limited = {method for method, rule in ROUTES.items() if rule.per_ip_per_minute}
    paths = [route["match"].get("path") for route in routes]  # type: ignore[attr-defined]
    assert set(paths[:-1]) == limited
    assert routes[-1]["match"] == {"prefix": "/drop.v1."}
    default = routes[-1]["typed_per_filter_config"]["envoy.filters.http.local_ratelimit"]  # type: ignore[index]
    assert default["descriptors"][0]["token_bucket"]["max_tokens"] == DEFAULT_PER_IP_PER_MINUTE


def test_each_worker_socket_is_an_endpoint_and_envoy_accepts_the_config(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path)})
    sockets = worker_sockets(settings.data_dir, 3)
    config = yaml.safe_load(render_config(settings, "127.0.0.1", sockets))
    (cluster,) = [c for c in config["static_resources"]["clusters"] if c["name"] == "drop_grpc"]
    assert cluster["lb_policy"] == "LEAST_REQUEST"
    endpoints = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"]
    assert [e["endpoint"]["address"]["pipe"]["path"] for e in endpoints] == [
        str(path) for path in sockets
    ]
    # The real Envoy reads it as a valid configuration.
    (tmp_path / "envoy").mkdir()
    path = tmp_path / "envoy.yaml"
    path.write_text(render_config(settings, "127.0.0.1", sockets))
    checked = subprocess.run(
        [envoy_binary(), "--mode", "validate", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_without_sockets_the_shared_port_is_the_endpoint(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path), "DROP_GRPC_PORT": "50999"})
    config = yaml.safe_load(render_config(settings, "127.0.0.1"))
    (cluster,) = [c for c in config["static_resources"]["clusters"] if c["name"] == "drop_grpc"]
    (endpoint,) = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"]
    assert endpoint["endpoint"]["address"]["socket_address"]["port_value"] == 50999


def test_socket_paths_stay_short_whatever_the_data_directory(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-directory-name"] * 6)
    for path in worker_sockets(deep, 64):
        assert len(str(path)) <= 100
    assert worker_sockets(deep, 2) == worker_sockets(deep, 2)


def test_every_route_to_the_workers_retries_only_a_refused_connection(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path)})
    config = yaml.safe_load(render_config(settings, "127.0.0.1", worker_sockets(tmp_path, 2)))
    (listener,) = config["static_resources"]["listeners"]
    (manager,) = [f for f in listener["filter_chains"][0]["filters"]]
    routes = manager["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    to_workers = [r["route"] for r in routes if r.get("route", {}).get("cluster") == "drop_grpc"]
    assert to_workers
    for route in to_workers:
        assert route["retry_policy"]["retry_on"] == "connect-failure,refused-stream"


def test_the_event_stream_goes_to_the_streams_process_without_a_deadline(tmp_path: Path) -> None:
    settings = load_settings({"DROP_DATA_DIR": str(tmp_path)})
    config = yaml.safe_load(render_config(settings, "127.0.0.1", worker_sockets(tmp_path, 2)))
    (listener,) = config["static_resources"]["listeners"]
    (manager,) = [f for f in listener["filter_chains"][0]["filters"]]
    routes = manager["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    (stream,) = [r for r in routes if r.get("route", {}).get("cluster") == "drop_streams"]
    # Matched on the gRPC method: GET /api/events arrives here after the transcoder.
    assert stream["match"] == {"path": "/drop.v1.EventService/StreamEvents"}
    assert stream["route"]["timeout"] == "0s"
    assert stream["route"]["idle_timeout"] == "60s"
    # Before the catch-all to the workers.
    assert routes.index(stream) < routes.index(routes[-1])
    (cluster,) = [c for c in config["static_resources"]["clusters"] if c["name"] == "drop_streams"]
    (threshold,) = cluster["circuit_breakers"]["thresholds"]
    assert threshold["max_requests"] >= 2000
    (endpoint,) = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"]
    assert endpoint["endpoint"]["address"]["pipe"]["path"] == str(streams_socket(tmp_path))
