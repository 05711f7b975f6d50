"""The full card number and CVV live with the issuer only: they appear in no response (gRPC or
its JSON form), no database column and no log line while cards are issued and used."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from google.protobuf import json_format
from sqlalchemy import inspect, text, update

from drop.v1 import cards_pb2, cards_pb2_grpc
from drop_server.api.cards import CardServicer
from drop_server.db.engine import Database
from drop_server.db.models import FeatureFlag
from drop_server.providers.card_issuer import SandboxIssuer, is_luhn_valid
from drop_server.services import accounts
from drop_server.services.feature_flags import forget_cached_flags
from drop_server.services.sessions import ClientKind
from tests.api.conftest import TEST_SECRET
from tests.conftest import registration

ISSUER = SandboxIssuer()


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return cards_pb2_grpc.add_CardServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer(api_db: Database) -> CardServicer:
    return CardServicer(api_db, ISSUER)


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return cards_pb2_grpc.CardServiceStub


@pytest.fixture
def flags_on(api_db: Database) -> Iterator[None]:
    names = ("cards", "physicalCards", "cardPin", "spendingLimits")
    with api_db.transaction() as session:
        session.execute(update(FeatureFlag).where(FeatureFlag.name.in_(names)).values(enabled=True))
    forget_cached_flags()
    yield
    with api_db.transaction() as session:
        session.execute(
            update(FeatureFlag).where(FeatureFlag.name.in_(names)).values(enabled=False)
        )
    forget_cached_flags()


def _signed_in(db: Database) -> tuple[tuple[str, str], ...]:
    body = registration()
    form = accounts.RegistrationForm(
        str(body["email"]), str(body["password"]), "Card", "Holder", None, str(body["dateOfBirth"])
    )
    grant = accounts.register(db, TEST_SECRET, form, ClientKind.MOBILE, password_login=True).grant
    return (("authorization", f"Bearer {grant.token}"),)


def test_full_numbers_never_leave_the_issuer(
    grpc_stub: cards_pb2_grpc.CardServiceStub,
    api_db: Database,
    flags_on: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    me = _signed_in(api_db)
    responses = []
    created = grpc_stub.CreateCard(cards_pb2.CreateCardRequest(), metadata=me)
    responses.append(created)
    card_id = created.data.id
    responses.append(grpc_stub.GetCard(cards_pb2.GetCardRequest(id=card_id), metadata=me))
    responses.append(grpc_stub.ListCards(cards_pb2.ListCardsRequest(), metadata=me))
    responses.append(
        grpc_stub.UpdateCard(cards_pb2.UpdateCardRequest(id=card_id, status="frozen"), metadata=me)
    )
    responses.append(
        grpc_stub.SetCardPin(cards_pb2.SetCardPinRequest(id=card_id, pin="4831"), metadata=me)
    )
    responses.append(
        grpc_stub.OrderPhysicalCard(
            cards_pb2.OrderPhysicalCardRequest(id=card_id, address="Storgata 1, 0155 Oslo"),
            metadata=me,
        )
    )

    with api_db.transaction() as session:
        token = session.execute(
            text("SELECT issuer_token FROM cards WHERE id = :id"), {"id": card_id}
        ).scalar_one()
    number, cvv = ISSUER.reveal(token)
    assert (
        is_luhn_valid(number) and number.startswith("400000") and number[-4:] == created.data.last4
    )
    assert created.data.number == f"---- ---- ---- {number[-4:]}" and created.data.cvv == "---"

    for response in responses:
        wire = response.SerializeToString()
        assert (
            number.encode() not in wire and json_format.MessageToJson(response).find(number) == -1
        )
        assert number[:12].encode() not in wire  # not even the hidden part

    with api_db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            rows = (
                connection.execute(text(f'SELECT row_to_json(t)::text FROM "{table}" t'))
                .scalars()
                .all()
            )
            assert not [row for row in rows if number in row], table
            if table == "cards":
                assert not [row for row in rows if f'"{cvv}"' in row]

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert number not in logged and "4831" not in logged
