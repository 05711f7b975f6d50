"""Payment load, settlement races and the money invariant, for the fault tests.

Clients behave as the README tells them to: on 503/UNAVAILABLE (or any 5xx, a reset, a
timeout) a payment with an Idempotency-Key is retried with the same key; one without a key is
not (its client cannot know), and reconciliation must resolve it.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import grpc
import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from drop.v1 import admin_pb2, admin_pb2_grpc, transactions_pb2, transactions_pb2_grpc
from drop_server.db.engine import sqlalchemy_url
from tests.conftest import fresh_ip, registration
from tests.e2e.money import SERBIA, valid_org_number
from tests.support.drop_process import DropSystem

RETRYABLE_HTTP = {500, 502, 503, 504}
RETRYABLE_GRPC = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.DEADLINE_EXCEEDED,
}
REFUSED_GRPC = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION}
MAX_ATTEMPTS = 8
# 4019.90 + 0.5 % fee = 4040.00: the sandbox bank refuses that total.
BANK_REFUSES = 4019.90


@dataclass
class Payer:
    user_id: str
    token: str
    account_id: str
    recipient_id: str
    transport: str  # "rest" or "grpc"
    start_balance: Decimal


@dataclass
class Outcome:
    payer: Payer
    key: str | None
    told: str  # "ok", "refused", "abandoned", "unknown", "other:<code>"
    transaction_id: str | None
    codes: list[str] = field(default_factory=list)


class World:
    """A population on one running Drop: payers with linked accounts and a recipient, two
    merchants, and an admin API key."""

    def __init__(self, system: DropSystem, direct_database_url: str) -> None:
        self.system = system
        self.engine: Engine = create_engine(sqlalchemy_url(direct_database_url))
        result = system.drop("admin", "create-api-key", "--scope", "admin")
        assert result.returncode == 0, result.stderr
        self.admin_key = result.stdout.strip().splitlines()[-1]
        self.payers: list[Payer] = []
        self.merchants: list[str] = []
        self.use(system)

    def use(self, system: DropSystem) -> None:
        """Talks to `system` from now on (a restarted Drop on the same database)."""
        if hasattr(self, "channel"):
            self.channel.close()
        self.system = system
        self.channel = grpc.insecure_channel(system.grpc_target)
        self.payments = transactions_pb2_grpc.TransactionServiceStub(self.channel)
        self.admin = admin_pb2_grpc.AdminServiceStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        self.engine.dispose()

    def rest(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {"X-Api-Key": self.admin_key}
        return httpx.Client(
            base_url=self.system.http_url,
            transport=httpx.HTTPTransport(local_address=fresh_ip()),
            headers=headers,
            timeout=15.0,
        )

    def sql(self, statement: str, **params: object) -> list[tuple[object, ...]]:
        with self.engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []

    def _person(self) -> tuple[str, str]:
        with httpx.Client(
            base_url=self.system.http_url,
            transport=httpx.HTTPTransport(local_address=fresh_ip()),
            timeout=15.0,
        ) as client:
            response = client.post("/api/auth/register", json=registration())
            assert response.status_code == 201, response.text
            user_id = response.json()["data"]["id"]
            token = client.cookies["drop_token"]
        with self.rest() as admin:
            approved = admin.patch(f"/api/admin/users/{user_id}", json={"kycStatus": "approved"})
            assert approved.status_code == 200, approved.text
        return user_id, token

    def add_payer(self, transport: str) -> Payer:
        user_id, token = self._person()
        with self.rest(token) as client:
            linked = client.post("/api/bank-accounts", json={"bankName": "DNB"})
            assert linked.status_code == 201, linked.text
            account = linked.json()["data"]["accounts"][0]
            recipient = client.post("/api/recipients", json=SERBIA)
            assert recipient.status_code == 201, recipient.text
        payer = Payer(
            user_id,
            token,
            account["id"],
            recipient.json()["data"]["id"],
            transport,
            Decimal(str(account["balance"])),
        )
        self.payers.append(payer)
        return payer

    def add_merchant(self) -> str:
        _, token = self._person()
        with self.rest(token) as client:
            response = client.post(
                "/api/merchants/register",
                json={
                    "businessName": "Kiosk AS",
                    "orgNumber": valid_org_number(),
                    "address": "Storgata 1, 0155 Oslo",
                    "bankAccount": "15036326783",
                },
            )
            assert response.status_code == 201, response.text
        self.merchants.append(response.json()["data"]["merchantId"])
        return self.merchants[-1]

    def populate(self, rest_payers: int, grpc_payers: int) -> None:
        kinds = ["rest"] * rest_payers + ["grpc"] * grpc_payers
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(self.add_payer, kinds))
            list(pool.map(lambda _: self.add_merchant(), range(2)))

    # Payments

    def pay(self, payer: Payer, number: int, rng: random.Random) -> Outcome:
        remittance = number % 2 == 0
        amount = round(rng.uniform(100, 600), 2)
        if number % 23 == 7:
            amount = BANK_REFUSES if remittance else amount
        key = None if number % 5 == 4 else f"pay-{uuid.uuid4().hex}"
        outcome = Outcome(payer, key, "unknown", None)
        send = self._rest_send if payer.transport == "rest" else self._grpc_send
        client = self.rest(payer.token) if payer.transport == "rest" else None
        try:
            for attempt in range(MAX_ATTEMPTS):
                verdict, tx_id, code = send(client, payer, remittance, amount, key)
                outcome.codes.append(code)
                if verdict != "retry":
                    outcome.told, outcome.transaction_id = verdict, tx_id
                    return outcome
                if key is None:
                    return outcome
                time.sleep(0.1 + 0.05 * attempt)
            return outcome
        finally:
            if client is not None:
                client.close()

    def _rest_send(
        self,
        client: httpx.Client | None,
        payer: Payer,
        remittance: bool,
        amount: float,
        key: str | None,
    ) -> tuple[str, str | None, str]:
        assert client is not None
        headers = {"Idempotency-Key": key} if key else {}
        if remittance:
            path, body = "/api/transactions/remittance", {"recipientId": payer.recipient_id}
        else:
            path, body = "/api/transactions/qr-payment", {"merchantId": self.merchants[0]}
        try:
            response = client.post(path, json={**body, "amount": amount}, headers=headers)
        except httpx.HTTPError as error:
            return "retry", None, type(error).__name__
        status = response.status_code
        if status == 201:
            return "ok", response.json()["data"]["id"], "201"
        if status in (402, 422):
            return "refused", None, str(status)
        if status == 409:
            return "abandoned", None, "409"
        if status in RETRYABLE_HTTP:
            return "retry", None, str(status)
        return f"other:{status}", None, str(status)

    def _grpc_send(
        self,
        client: httpx.Client | None,
        payer: Payer,
        remittance: bool,
        amount: float,
        key: str | None,
    ) -> tuple[str, str | None, str]:
        metadata = [("authorization", f"Bearer {payer.token}")]
        if key:
            metadata.append(("idempotency-key", key))
        try:
            if remittance:
                answer = self.payments.SendRemittance(
                    transactions_pb2.SendRemittanceRequest(
                        recipient_id=payer.recipient_id, amount=amount
                    ),
                    metadata=metadata,
                    timeout=15,
                )
            else:
                answer = self.payments.PayMerchant(
                    transactions_pb2.PayMerchantRequest(
                        merchant_id=self.merchants[1], amount=amount
                    ),
                    metadata=metadata,
                    timeout=15,
                )
        except grpc.RpcError as error:
            code = error.code()
            if code in REFUSED_GRPC:
                return "refused", None, code.name
            if code is grpc.StatusCode.ALREADY_EXISTS:
                return "abandoned", None, code.name
            if code in RETRYABLE_GRPC:
                return "retry", None, code.name
            return f"other:{code.name}", None, code.name
        return "ok", answer.data.id, "OK"

    def load(self, per_payer: int, seed: int, threads: int = 16) -> list[Outcome]:
        rng = random.Random(seed)
        jobs = [
            (payer, number, random.Random(rng.random()))
            for number in range(per_payer)
            for payer in self.payers
        ]
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(lambda job: self.pay(*job), jobs))

    # Settlement races

    def race_settlements(self) -> dict[str, list[tuple[str, str]]]:
        """Five concurrent, contradictory reports for every processing remittance, over REST
        and gRPC, while the sandbox clearing runs too. Returns each report's outcome."""
        open_ids = [
            str(row[0])
            for row in self.sql(
                "SELECT id FROM transactions WHERE status = 'processing' AND type = 'remittance'"
            )
        ]
        reports = ["completed", "failed", "completed", "failed", "completed"]
        jobs = [
            (tx_id, number, outcome) for tx_id in open_ids for number, outcome in enumerate(reports)
        ]
        results: dict[str, list[tuple[str, str]]] = {tx_id: [] for tx_id in open_ids}
        lock = threading.Lock()

        def report(job: tuple[str, int, str]) -> None:
            tx_id, number, outcome = job
            if number % 2 == 0:
                with self.rest() as admin:
                    response = admin.post(
                        f"/api/admin/transactions/{tx_id}/settle", json={"outcome": outcome}
                    )
                code = str(response.status_code)
            else:
                try:
                    self.admin.SettleTransaction(
                        admin_pb2.SettleTransactionRequest(id=tx_id, outcome=outcome),
                        metadata=[("x-api-key", self.admin_key)],
                        timeout=15,
                    )
                    code = "200"
                except grpc.RpcError as error:
                    code = (
                        "409"
                        if error.code() is grpc.StatusCode.ALREADY_EXISTS
                        else error.code().name
                    )
            with lock:
                results[tx_id].append((outcome, code))

        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(report, jobs))
        return results

    # Waiting and the invariant

    def wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.25)

    def open_payments(self) -> int:
        return int(self.sql("SELECT count(*) FROM transactions WHERE status = 'processing'")[0][0])

    def in_flight(self) -> int:
        return int(
            self.sql(
                "SELECT count(*) FROM transactions "
                "WHERE status = 'processing' AND payment_id IS NULL"
            )[0][0]
        )

    def listed(self, payer: Payer) -> list[dict[str, object]]:
        items: list[dict[str, object]] = []
        with self.rest(payer.token) as client:
            page = 1
            while True:
                response = client.get("/api/transactions", params={"page": page, "limit": 50})
                assert response.status_code == 200, response.text
                body = response.json()
                items += body["data"]
                if page >= body["pagination"]["totalPages"]:
                    return items
                page += 1

    def check_invariant(self, outcomes: list[Outcome]) -> None:
        problems: list[str] = []
        # Every payment is in the state the bank has it in; nothing is left in flight.
        disagreements = self.sql(
            "SELECT t.id, t.status, t.payment_id IS NULL, b.status, t.total FROM transactions t "
            "LEFT JOIN sandbox_bank_payments b ON b.reference = t.end_to_end_id "
            "WHERE NOT ("
            " (t.status = 'completed' AND b.status = 'completed')"
            # A QR payment is done for Drop once the bank accepted it; the bank clears it later.
            " OR (t.type = 'qr_payment' AND t.status = 'completed' AND b.status = 'pending')"
            " OR (t.status = 'failed' AND b.status IN ('failed', 'barred', 'rejected'))"
            " OR (t.status = 'rejected' AND b.status IN ('rejected', 'barred')))"
        )
        problems += [f"Drop and the bank disagree: {row}" for row in disagreements]
        told_ok = Counter(o.transaction_id for o in outcomes if o.told == "ok")
        problems += [f"{tx_id}: two answers" for tx_id, n in told_ok.items() if tx_id and n > 1]
        for payer in self.payers:
            problems += self._payer_problems(payer, outcomes)
        assert problems == [], "\n".join(problems)

    def _payer_problems(self, payer: Payer, outcomes: list[Outcome]) -> list[str]:
        problems = []
        listed = self.listed(payer)
        ids = Counter(str(item["id"]) for item in listed)
        problems += [f"{tx_id} listed {n} times" for tx_id, n in ids.items() if n != 1]
        for outcome in outcomes:
            mine = outcome.payer is payer and outcome.told == "ok"
            if mine and ids[str(outcome.transaction_id)] != 1:
                problems.append(f"{outcome.transaction_id} was confirmed but is not listed")
        totals = {
            str(row[0]): Decimal(str(row[1]))
            for row in self.sql(
                "SELECT id, total FROM transactions WHERE user_id = :u", u=payer.user_id
            )
        }
        spent = sum(
            (totals[str(item["id"])] for item in listed if item["status"] != "failed"),
            Decimal(0),
        )
        with self.rest(payer.token) as client:
            accounts = client.get("/api/bank-accounts").json()["data"]
        cached = Decimal(str(accounts[0]["balance"]))
        number = str(accounts[0]["accountNumber"]).replace(".", "")
        at_bank = Decimal(
            str(
                self.sql(
                    "SELECT balance FROM sandbox_bank_accounts WHERE account_number = :n",
                    n=number,
                )[0][0]
            )
        )
        if cached != at_bank:
            problems.append(f"{payer.user_id}: Drop caches {cached}, the bank {at_bank}")
        if payer.start_balance - cached != spent:
            problems.append(f"{payer.user_id}: {payer.start_balance} - {cached} != {spent} spent")
        return problems
