"""The Python client as a user gets it: a wheel built from clients/python, installed into a
fresh virtual environment (its dependencies from the index), used against the running server:
sign-in, a call through Envoy, a payment with an idempotency key and decoded error details."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import DropSystem

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from drop.v1 import auth_pb2, rates_pb2, transactions_pb2
    from drop_client import DropClient, DropError, auth_metadata, idempotency_key

    workers, envoy = sys.argv[1], sys.argv[2]
    with DropClient(workers) as direct:
        signed_in = direct.auth.Login(
            auth_pb2.LoginRequest(email="demo@drop.no", password="DemoPass123")
        )
    with DropClient(envoy, token=signed_in.data.token) as drop:
        me = drop.auth.GetMe(auth_pb2.GetMeRequest()).data
        rates = drop.rates.ListRates(rates_pb2.ListRatesRequest()).data
        try:
            drop.transactions.PayMerchant(
                transactions_pb2.PayMerchantRequest(merchant_id="mer_0000000000000000", amount=0),
                metadata=[("idempotency-key", idempotency_key())],
            )
        except DropError as error:
            failure = error
    print(json.dumps({
        "stubs": auth_pb2.__file__,
        "email": me.email,
        "base": rates.base_currency,
        "code": failure.code,
        "status": failure.http_status,
        "fields": [v.field for v in failure.field_violations],
        "metadata": auth_metadata("t", api_key="k"),
    }))
    """
)


def run(*command: str, cwd: Path | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return result.stdout


def test_wheel_installs_into_a_fresh_environment_and_works(
    drop_system: DropSystem, tmp_path: Path
) -> None:
    python = Path(sys.executable)
    run(str(python), "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", str(tmp_path / "dist"), str(CLIENT))  # fmt: skip
    wheel = next((tmp_path / "dist").glob("drop_client-*.whl"))
    venv = tmp_path / "venv"
    run(str(python), "-m", "venv", str(venv))
    run(str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel))
    (tmp_path / "use.py").write_text(SCRIPT)
    import json

    outcome = json.loads(
        run(
            str(venv / "bin" / "python"),
            str(tmp_path / "use.py"),
            drop_system.grpc_target,
            drop_system.envoy_target,
            cwd=tmp_path,
        )
    )
    assert outcome["stubs"].startswith(str(venv))  # the wheel's stubs, not the checkout's
    assert outcome["email"] == "demo@drop.no" and outcome["base"] == "NOK"
    assert outcome["code"] == "bad_request" and outcome["status"] == 400
    assert "amount" in outcome["fields"]
    assert outcome["metadata"] == [
        ["x-drop-client", "mobile"],
        ["authorization", "Bearer t"],
        ["x-api-key", "k"],
    ]
