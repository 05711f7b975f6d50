"""`drop seed-demo`: a ready-to-try world, built through the same use cases the API runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import User
from drop_server.domain.users import KycStatus, RegistrationForm, Role
from drop_server.providers.bank import BankProvider, ClearingSimulation, PaymentOutcome
from drop_server.services import accounts, bank_accounts, merchants, payments, recipients
from drop_server.services.sessions import ClientKind
from drop_server.services.settlement import apply_bank_status

DEMO_EMAIL = "demo@drop.no"
MERCHANT_EMAIL = "kafe@drop.no"
DEMO_PASSWORD = "DemoPass123"  # noqa: S105 (published demo credentials, development only)

# Names and banks are spelled as their owners spell them (Turkish dotless i included).
RECIPIENTS = [
    ("Jelena Petrović", "RS", "RSD", "RS35260005601001611379", "Banca Intesa"),
    ("Emir Hodžić", "BA", "BAM", "BA391290079401028494", "UniCredit Bank"),
    ("Anna Kowalska", "PL", "PLN", "PL61109010140000071219812874", "PKO Bank Polski"),
    ("Ali Khan", "PK", "PKR", "PK36SCBL0000001123456702", "Meezan Bank"),
    ("Ayşe Yılmaz", "TR", "TRY", "TR330006100519786457841326", "Ziraat Bankası"),  # noqa: RUF001
]


@dataclass(frozen=True)
class DemoWorld:
    created: bool
    user_email: str
    merchant_email: str
    password: str
    merchant_id: str | None = None


def _user(db: Database, secret: str, email: str, first: str, last: str) -> Principal:
    form = RegistrationForm(
        email, DEMO_PASSWORD, first, last, "+4791234567", date(1988, 5, 17).isoformat()
    )
    signed_in = accounts.register(db, secret, form, ClientKind.WEB, password_login=True)
    user = signed_in.user
    with db.transaction() as session:
        row = session.get(User, user.id)
        assert row is not None
        row.kyc_status = KycStatus.APPROVED.value
    return Principal(user_id=user.id, role=Role.USER)


def seed_demo(db: Database, bank: BankProvider, secret: str) -> DemoWorld:
    with db.transaction() as session:
        if session.scalar(select(User.id).where(User.email == DEMO_EMAIL)) is not None:
            return DemoWorld(False, DEMO_EMAIL, MERCHANT_EMAIL, DEMO_PASSWORD)

    owner = _user(db, secret, MERCHANT_EMAIL, "Kari", "Nordmann")
    bank_accounts.link_accounts(db, bank, owner, "SpareBank 1")
    merchant = merchants.register_merchant(
        db,
        owner,
        merchants.MerchantForm(
            "Kaffebar Grünerløkka AS",
            "923609016",
            "Thorvald Meyers gate 1, 0555 Oslo",
            "15036326783",
        ),
    )

    demo = _user(db, secret, DEMO_EMAIL, "Amir", "Bašić")
    bank_accounts.link_accounts(db, bank, demo, "DNB")
    bank_accounts.link_accounts(db, bank, demo, "Nordea")
    made = [
        recipients.create_recipient(
            db, demo, recipients.NewRecipient(name, country, currency, account, bank_name)
        )
        for name, country, currency, account, bank_name in RECIPIENTS
    ]

    sent = payments.send_remittance(
        db, bank, demo, payments.RemittanceRequest(made[0].id, 2000.0, "NOK", None), None
    )
    assert sent.transaction is not None
    if isinstance(bank, ClearingSimulation):
        bank.clear(sent.transaction.end_to_end_id, PaymentOutcome.COMPLETED)
        apply_bank_status(db, sent.transaction.id, PaymentOutcome.COMPLETED)
    payments.send_remittance(
        db, bank, demo, payments.RemittanceRequest(made[2].id, 500.0, "NOK", None), None
    )
    payments.pay_merchant(db, bank, demo, payments.QrPaymentRequest(merchant.id, 89.0), None)
    return DemoWorld(True, DEMO_EMAIL, MERCHANT_EMAIL, DEMO_PASSWORD, merchant.id)


def has_users(db: Database) -> bool:
    with db.transaction() as session:
        return session.scalar(select(User.id).limit(1)) is not None
