"""The TypeScript client's browser entry ("@drop/client/web", gRPC-Web) in a real headless
Chromium (Debian's `chromium`), on a page from another origin listed in DROP_CORS_ORIGINS:
it signs in with the httpOnly cookie, reads the session over gRPC-Web and REST, and pays;
then "Try it out" on the docs page (Swagger UI) answers with that session.

`make test` installs Chromium (Makefile `toolchains`); without it the test is skipped on a
developer machine and fails in CI (CI=true), where it must run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DropSystem

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "typescript"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_browser_signs_in_with_a_cookie_and_pays_over_grpc_web(drop_system: DropSystem) -> None:
    executable = chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI: `make test` installs Debian's chromium")
        pytest.skip("no chromium on this machine (`make toolchains` installs it)")
    subprocess.run(
        [str(CLIENT / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json"],
        cwd=CLIENT,
        check=True,
        timeout=120,
    )
    env = dict(
        os.environ,
        DROP_ENVOY_URL=drop_system.http_url,
        DROP_BROWSER_ORIGIN=drop_system.browser_origin,
        CHROMIUM=executable,
    )
    run = subprocess.run(
        ["node", "dist/browser/run.js"],
        cwd=CLIENT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    result = outcome["result"]
    assert outcome["errors"] == []
    assert result["anonymousError"] == "unauthorized"
    # A browser signs in with the cookie: no token in the answer, none readable by scripts.
    assert result["tokenInAnswer"] is False and result["cookieVisibleToScript"] is False
    assert outcome["sessionCookie"]["httpOnly"] is True
    assert outcome["sessionCookie"]["sameSite"] == "Lax"
    assert result["email"] == result["restEmail"] == "demo@drop.no"
    assert result["rateLimitHeaderVisible"] is True
    payment = result["payment"]
    assert payment["id"].startswith("tx_qr_") and payment["status"] == "completed"
    assert payment["amount"] == 45 and payment["merchantId"].startswith("mer_")
    assert result["replayedId"] == payment["id"]  # the idempotency key held
    # The docs page's "Try it out" (on the tests' random port) runs with that cookie session.
    assert outcome["tryItOut"]["status"] == "200"
    assert '"email": "demo@drop.no"' in outcome["tryItOut"]["body"]
