"""Schemathesis against the REST API through Envoy, driven by the served OpenAPI document.

Bounded by example counts and a fixed seed, so CI is reproducible and takes about a minute;
any finding fails the test with schemathesis' own report and reproduction command. Explore
with other seeds by running the same command by hand (`--seed`, `-n`).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DropSystem

CHECKS = (
    "not_a_server_error,status_code_conformance,response_schema_conformance,negative_data_rejection"
)
SEED = "20261123"
# Logout and refresh revoke the caller's session; they are fuzzed on their own, last.
SESSION_ENDING = ("AuthService_Logout", "AuthService_Refresh")
# A stream stays open: it is fuzzed over gRPC (test_grpc_hypothesis.py) and tested over SSE
# in tests/e2e/test_live_events.py.
STREAMS = ("EventService_StreamEvents",)


def schemathesis(drop_system: DropSystem, token: str, workdir: Path, *filters: str) -> None:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{drop_system.http_url}/api/openapi.json",
        "--url",
        drop_system.http_url,
        "-H",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--seed",
        SEED,
        "--generation-database",
        "none",
        "--no-color",
        *filters,
    ]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert " passed" in result.stdout


def test_rest_operations_hold_the_contract(
    drop_system: DropSystem, admin_token: Callable[[], str], tmp_path: Path
) -> None:
    excluded = [
        arg for name in (*SESSION_ENDING, *STREAMS) for arg in ("--exclude-operation-id", name)
    ]
    schemathesis(drop_system, admin_token(), tmp_path, *excluded)


def test_session_ending_operations_hold_the_contract(
    drop_system: DropSystem, admin_token: Callable[[], str], tmp_path: Path
) -> None:
    included = [arg for name in SESSION_ENDING for arg in ("--include-operation-id", name)]
    schemathesis(drop_system, admin_token(), tmp_path, *included)
