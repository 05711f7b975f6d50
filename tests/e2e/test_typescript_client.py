"""The generated TypeScript client (protoc-gen-es + Connect for Node) against the running
server: its own node:test suite, over gRPC straight to the workers and through Envoy."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import DropSystem

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "typescript"


def test_typescript_client_suite(drop_system: DropSystem) -> None:
    npm = shutil.which("npm")
    assert npm is not None, "Node.js and npm are required (the TypeScript client is tested)"
    env = dict(
        os.environ,
        DROP_GRPC_URL=f"http://{drop_system.grpc_target}",
        DROP_ENVOY_URL=f"http://{drop_system.envoy_target}",
    )
    result = subprocess.run(
        [npm, "test", "--silent"], cwd=CLIENT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-10000:] + result.stderr[-5000:]
    assert "# fail 0" in result.stdout
