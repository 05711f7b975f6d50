"""Properties of money movement under concurrency, over native gRPC straight to the workers
(the REST routes are limited to 10 payments a minute per IP, which is not what is tested here)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import grpc
import pytest

from drop.v1 import transactions_pb2, transactions_pb2_grpc
from tests.conftest import DropSystem
from tests.e2e.helpers import MakeRest
from tests.e2e.money import Customer, Operator, add_recipient, customer


@pytest.fixture
def stub(drop_system: DropSystem) -> Iterator[transactions_pb2_grpc.TransactionServiceStub]:
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        yield transactions_pb2_grpc.TransactionServiceStub(channel)


def bearer(person: Customer) -> tuple[tuple[str, str], ...]:
    token = person.client.cookies["drop_token"]
    return (("authorization", f"Bearer {token}"),)


def attempt(
    stub: transactions_pb2_grpc.TransactionServiceStub,
    request: transactions_pb2.SendRemittanceRequest,
    metadata: tuple[tuple[str, str], ...],
) -> tuple[grpc.StatusCode, transactions_pb2.SendRemittanceResponse | None]:
    try:
        return grpc.StatusCode.OK, stub.SendRemittance(request, metadata=metadata, timeout=60)
    except grpc.RpcError as error:
        return error.code(), None


def test_concurrent_remittances_never_overdraw(
    make_rest: MakeRest, operator: Operator, stub: transactions_pb2_grpc.TransactionServiceStub
) -> None:
    sender = customer(make_rest, operator)
    recipient = add_recipient(sender.client)
    # 1000 + 5 fee each: the balance covers exactly ten.
    operator.set_balance(sender.account["id"], "10050.00")
    request = transactions_pb2.SendRemittanceRequest(recipient_id=str(recipient["id"]), amount=1000)
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: attempt(stub, request, bearer(sender)), range(50)))
    codes = [code for code, _ in results]
    assert codes.count(grpc.StatusCode.OK) == 10
    assert codes.count(grpc.StatusCode.FAILED_PRECONDITION) == 40  # 402 insufficient_balance
    charged = sum(
        Decimal(str(response.data.total)) for _, response in results if response is not None
    )
    assert charged == Decimal("10050.00")
    assert operator.balance(sender.account["id"]) == Decimal("10050.00") - charged == 0
    stored = operator.sql(
        "SELECT count(*), coalesce(sum(total), 0) FROM transactions WHERE user_id = :u",
        u=sender.user["id"],
    )
    assert stored == [(10, Decimal("10050.00"))]


def test_concurrent_retries_with_one_key_debit_once(
    make_rest: MakeRest, operator: Operator, stub: transactions_pb2_grpc.TransactionServiceStub
) -> None:
    sender = customer(make_rest, operator)
    recipient = add_recipient(sender.client)
    before = operator.balance(sender.account["id"])
    request = transactions_pb2.SendRemittanceRequest(recipient_id=str(recipient["id"]), amount=250)
    metadata = (*bearer(sender), ("idempotency-key", "checkout-42"))
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: attempt(stub, request, metadata), range(20)))
    assert [code for code, _ in results] == [grpc.StatusCode.OK] * 20
    assert len({response.data.id for _, response in results if response is not None}) == 1
    assert operator.balance(sender.account["id"]) == before - Decimal("251.25")
    assert operator.sql(
        "SELECT count(*) FROM transactions WHERE user_id = :u", u=sender.user["id"]
    ) == [(1,)]


def test_a_bank_rejection_leaves_no_debit(
    make_rest: MakeRest, operator: Operator, stub: transactions_pb2_grpc.TransactionServiceStub
) -> None:
    sender = customer(make_rest, operator)
    recipient = add_recipient(sender.client)
    before = operator.balance(sender.account["id"])
    code, _ = attempt(
        stub,
        transactions_pb2.SendRemittanceRequest(recipient_id=str(recipient["id"]), amount=4019.90),
        bearer(sender),
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert operator.balance(sender.account["id"]) == before
    # The refused intent stays for the audit trail, released and listed nowhere.
    assert operator.sql(
        "SELECT status FROM transactions WHERE user_id = :u", u=sender.user["id"]
    ) == [("rejected",)]
    assert sender.client.get("/api/transactions").json()["pagination"]["total"] == 0
    assert operator.sql(
        "SELECT count(*) FROM notifications WHERE user_id = :u", u=sender.user["id"]
    ) == [(0,)]
