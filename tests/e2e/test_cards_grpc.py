"""Cards over native gRPC, straight to the workers and through Envoy's port."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from drop.v1 import cards_pb2, cards_pb2_grpc
from tests.conftest import DropSystem
from tests.e2e.money import Operator
from tests.e2e.test_cards_rest import set_flags
from tests.e2e.test_money_grpc import new_user


@pytest.fixture(scope="module")
def channels(drop_system: DropSystem) -> Iterator[list[grpc.Channel]]:
    with (
        grpc.insecure_channel(drop_system.grpc_target) as direct,
        grpc.insecure_channel(drop_system.envoy_target) as envoy,
    ):
        yield [direct, envoy]


def test_cards_over_grpc(
    channels: list[grpc.Channel], drop_system: DropSystem, operator: Operator
) -> None:
    for channel in channels:
        stub = cards_pb2_grpc.CardServiceStub(channel)
        me = new_user(drop_system)
        with pytest.raises(grpc.RpcError) as off:
            stub.ListCards(cards_pb2.ListCardsRequest(), metadata=me)
        assert off.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.RpcError) as anonymous:  # the flag answers before credentials
            stub.ListCards(cards_pb2.ListCardsRequest())
        assert anonymous.value.code() == grpc.StatusCode.NOT_FOUND
    set_flags(operator, True)
    try:
        for channel in channels:
            stub = cards_pb2_grpc.CardServiceStub(channel)
            me = new_user(drop_system)
            card, call = stub.CreateCard.with_call(cards_pb2.CreateCardRequest(), metadata=me)
            assert ("x-http-code", "201") in call.initial_metadata()
            assert (
                card.data.number == f"---- ---- ---- {card.data.last4}" and card.data.cvv == "---"
            )
            limit = stub.SetCardLimit(
                cards_pb2.SetCardLimitRequest(id=card.data.id, limit_type="weekly", amount=1500),
                metadata=me,
            )
            assert (limit.data.limit_type, limit.data.amount) == ("weekly", 1500)
            with pytest.raises(grpc.RpcError) as weak:
                stub.SetCardPin(
                    cards_pb2.SetCardPinRequest(id=card.data.id, pin="1111"), metadata=me
                )
            assert weak.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            cancelled = stub.CancelCard(cards_pb2.CancelCardRequest(id=card.data.id), metadata=me)
            assert cancelled.data.status == "cancelled"
            assert list(stub.ListCards(cards_pb2.ListCardsRequest(), metadata=me).data) == []
    finally:
        set_flags(operator, False)
