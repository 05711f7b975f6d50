"""The README's Go recipe as written: buf (managed mode gives the Go import paths) with the
protoc-gen-go and protoc-gen-go-grpc plugins, compiled with Debian's Go toolchain and gRPC
sources (GOPATH mode, nothing downloaded), then run against the server through Envoy.

`make test` installs the toolchain on Debian when run as root (CI); elsewhere the test is
skipped without it, but never in CI (CI=true)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DropSystem

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_GO_SOURCES = Path("/usr/share/gocode")
NEEDED = ("go", "protoc-gen-go", "protoc-gen-go-grpc")


def test_generated_go_client_compiles_and_calls_drop(
    drop_system: DropSystem, tmp_path: Path
) -> None:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing or not (DEBIAN_GO_SOURCES / "src" / "google.golang.org" / "grpc").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the Go toolchain is required in CI (missing: {missing or 'gocode'})")
        pytest.skip("no Go toolchain (`make toolchains` installs Debian's)")
    buf = Path(sys.executable).parent / "buf"
    out = tmp_path / "out"
    subprocess.run(
        [str(buf), "generate", "--template", "clients/go/buf.gen.yaml", "-o", str(out)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    module = tmp_path / "gopath" / "src" / "drop.app" / "client"
    module.mkdir(parents=True)
    shutil.move(out / "clients" / "go" / "gen", module / "gen")
    shutil.copytree(ROOT / "clients" / "go" / "example", module / "example")
    env = dict(
        os.environ,
        GO111MODULE="off",
        GOPATH=f"{tmp_path / 'gopath'}:{DEBIAN_GO_SOURCES}",
        GOCACHE=str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "go-build"),
        GOFLAGS="",
    )
    subprocess.run(
        ["go", "build", "-o", str(tmp_path / "rates"), "./example"],
        cwd=module,
        env=env,
        check=True,
        timeout=300,
    )
    run = subprocess.run(
        [str(tmp_path / "rates"), drop_system.envoy_target],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    base, rsd = run.stdout.split()
    assert base == "NOK" and float(rsd) > 0
