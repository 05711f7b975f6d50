"""CardService: proto <-> services.cards. Every card leaves masked."""

from __future__ import annotations

import grpc

from drop.v1 import cards_pb2 as pb
from drop.v1 import cards_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, timestamp
from drop_server.db.engine import Database
from drop_server.db.models import Card, CardLimit
from drop_server.domain.cards import MASKED_CVV, masked_number
from drop_server.domain.money import to_json_number
from drop_server.providers.card_issuer import CardIssuer
from drop_server.services import cards


def card_message(card: Card) -> pb.Card:
    return pb.Card(
        id=card.id,
        type=card.type,
        status=card.status,
        number=masked_number(card.last4),
        cvv=MASKED_CVV,
        last4=card.last4,
        expiry_month=card.expiry_month,
        expiry_year=card.expiry_year,
        created_at=timestamp(card.created_at),
    )


def limit_message(limit: CardLimit) -> pb.CardLimit:
    return pb.CardLimit(
        limit_type=limit.limit_type,
        amount=to_json_number(limit.amount),
        updated_at=timestamp(limit.updated_at),
    )


class CardServicer(cards_pb2_grpc.CardServiceServicer):
    def __init__(self, db: Database, issuer: CardIssuer) -> None:
        self._db = db
        self._issuer = issuer

    def ListCards(
        self, request: pb.ListCardsRequest, context: grpc.ServicerContext
    ) -> pb.ListCardsResponse:
        return pb.ListCardsResponse(
            data=[card_message(c) for c in cards.list_cards(self._db, current_call().user())]
        )

    def CreateCard(
        self, request: pb.CreateCardRequest, context: grpc.ServicerContext
    ) -> pb.CreateCardResponse:
        card = cards.create_card(
            self._db, self._issuer, current_call().user(), optional_field(request, "type")
        )
        return pb.CreateCardResponse(data=card_message(card))

    def GetCard(
        self, request: pb.GetCardRequest, context: grpc.ServicerContext
    ) -> pb.GetCardResponse:
        return pb.GetCardResponse(
            data=card_message(cards.get_card(self._db, current_call().user(), request.id))
        )

    def UpdateCard(
        self, request: pb.UpdateCardRequest, context: grpc.ServicerContext
    ) -> pb.UpdateCardResponse:
        card = cards.change_status(
            self._db,
            self._issuer,
            current_call().user(),
            request.id,
            optional_field(request, "status"),
        )
        return pb.UpdateCardResponse(data=card_message(card))

    def CancelCard(
        self, request: pb.CancelCardRequest, context: grpc.ServicerContext
    ) -> pb.CancelCardResponse:
        return pb.CancelCardResponse(
            data=card_message(
                cards.cancel_card(self._db, self._issuer, current_call().user(), request.id)
            )
        )

    def OrderPhysicalCard(
        self, request: pb.OrderPhysicalCardRequest, context: grpc.ServicerContext
    ) -> pb.OrderPhysicalCardResponse:
        order = cards.order_physical(
            self._db,
            self._issuer,
            current_call().user(),
            request.id,
            optional_field(request, "address"),
        )
        return pb.OrderPhysicalCardResponse(
            data=pb.PhysicalCardOrder(
                order_id=order.id,
                card_id=order.card_id,
                address=order.address,
                status=order.status,
                created_at=timestamp(order.created_at),
            )
        )

    def SetCardPin(
        self, request: pb.SetCardPinRequest, context: grpc.ServicerContext
    ) -> pb.SetCardPinResponse:
        card = cards.set_pin(
            self._db,
            self._issuer,
            current_call().user(),
            request.id,
            optional_field(request, "pin"),
        )
        return pb.SetCardPinResponse(
            data=pb.CardPinState(card_id=card.id, pin_set=card.pin_hash is not None)
        )

    def ListCardLimits(
        self, request: pb.ListCardLimitsRequest, context: grpc.ServicerContext
    ) -> pb.ListCardLimitsResponse:
        limits = cards.list_limits(self._db, current_call().user(), request.id)
        return pb.ListCardLimitsResponse(data=[limit_message(limit) for limit in limits])

    def SetCardLimit(
        self, request: pb.SetCardLimitRequest, context: grpc.ServicerContext
    ) -> pb.SetCardLimitResponse:
        limit = cards.set_limit(
            self._db,
            self._issuer,
            current_call().user(),
            request.id,
            optional_field(request, "limit_type"),
            optional_field(request, "amount"),
        )
        return pb.SetCardLimitResponse(data=limit_message(limit))
