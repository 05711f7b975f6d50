"""The sandbox bank's clearing, demo data, and that migrations match the models."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Base, SandboxBankPayment, Transaction, User, owned_by_drop
from drop_server.domain.users import Role
from drop_server.providers.sandbox_bank import SandboxBank
from drop_server.services import accounts, bank_accounts, payments, recipients
from drop_server.services.clearing import clear_once
from drop_server.services.demo import DEMO_EMAIL, seed_demo
from drop_server.services.sessions import ClientKind
from tests.api.conftest import TEST_SECRET
from tests.conftest import registration


def test_migrations_match_the_models(api_db: Database) -> None:
    with api_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": owned_by_drop})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _sender(db: Database, bank: SandboxBank) -> tuple[Principal, str]:
    body = registration()
    form = accounts.RegistrationForm(
        body["email"],
        body["password"],
        "Test",
        "Sender",
        None,
        body["dateOfBirth"],  # type: ignore[arg-type]
    )
    user = accounts.register(db, TEST_SECRET, form, ClientKind.WEB, password_login=True).user
    with db.transaction() as session:
        session.execute(update(User).where(User.id == user.id).values(kyc_status="approved"))
    principal = Principal(user_id=user.id, role=Role.USER)
    bank_accounts.link_accounts(db, bank, principal, "DNB")
    recipient = recipients.create_recipient(
        db,
        principal,
        recipients.NewRecipient("Ana", "PL", "PLN", "PL61109010140000071219812874", None),
    )
    return principal, recipient.id


def test_clearing_completes_due_remittances_once(api_db: Database) -> None:
    bank = SandboxBank(api_db, reject_total=Decimal("4040.00"))
    principal, recipient_id = _sender(api_db, bank)
    sent = payments.send_remittance(
        api_db,
        bank,
        principal,
        payments.RemittanceRequest(recipient_id, 300.0, None, None),
        None,
    )
    assert sent.transaction is not None
    assert clear_once(api_db, bank, timedelta(hours=1)) == 0  # not due yet
    with api_db.transaction() as session:
        assert session.get(Transaction, sent.transaction.id).status == "processing"  # type: ignore[union-attr]
    assert clear_once(api_db, bank, timedelta(0)) >= 1
    with api_db.transaction() as session:
        tx = session.get(Transaction, sent.transaction.id)
        assert tx is not None and tx.status == "completed" and tx.completed_at is not None
        payment = session.scalars(
            select(SandboxBankPayment).where(SandboxBankPayment.reference == tx.end_to_end_id)
        ).one()
        assert payment.status == "completed"
    assert clear_once(api_db, bank, timedelta(0)) == 0


def test_demo_world_is_created_once(api_db: Database) -> None:
    bank = SandboxBank(api_db, reject_total=Decimal("4040.00"))
    first = seed_demo(api_db, bank, TEST_SECRET)
    again = seed_demo(api_db, bank, TEST_SECRET)
    assert not again.created
    with api_db.transaction() as session:
        demo = session.scalars(
            select(User).where(User.email == DEMO_EMAIL, User.deleted_at.is_(None))
        ).one()
        assert demo.kyc_status == "approved"
        history = list(session.scalars(select(Transaction).where(Transaction.user_id == demo.id)))
    assert {tx.type for tx in history} == {"remittance", "qr_payment"}
    principal = Principal(user_id=demo.id, role=Role.USER)
    assert {
        a.bank_name for a in bank_accounts.list_accounts(api_db, bank, principal, refresh=False)
    } == {"DNB", "Nordea"}
    assert {
        r.country for r in recipients.list_recipients(api_db, principal, None, None).recipients
    } == {"RS", "BA", "PL", "PK", "TR"}
    assert first.created or not first.created  # `drop serve` may have seeded this database first


def test_housekeeping_purges_only_what_has_expired(api_db: Database) -> None:
    from datetime import UTC, datetime

    from drop_server.db.models import BankIdLogin, IdempotencyKey
    from drop_server.services.housekeeping import purge_expired

    bank = SandboxBank(api_db, reject_total=Decimal("4040.00"))
    principal, _ = _sender(api_db, bank)
    old, fresh = datetime(2020, 1, 1, tzinfo=UTC), datetime.now(UTC)
    with api_db.transaction() as session:
        session.add(
            IdempotencyKey(user_id=principal.user_id, key="old", request_hash="h", created_at=old)
        )
        session.add(
            IdempotencyKey(
                user_id=principal.user_id, key="fresh", request_hash="h", created_at=fresh
            )
        )
        session.add(
            BankIdLogin(
                state="old-state-" + principal.user_id, nonce="n", code_verifier="v", created_at=old
            )
        )
    assert purge_expired(api_db) >= 2
    with api_db.transaction() as session:
        keys = set(
            session.scalars(
                select(IdempotencyKey.key).where(IdempotencyKey.user_id == principal.user_id)
            )
        )
    assert keys == {"fresh"}
