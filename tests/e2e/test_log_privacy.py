"""Nothing private reaches a log: after a run of ordinary and failing calls that carry
personal data, every line of the running system's log (workers, supervisor, Envoy) is
scanned for password hashes, account numbers, personal data, tokens and keys."""

from __future__ import annotations

import re
import secrets
import string

from tests.conftest import DropSystem, registration
from tests.e2e.helpers import MakeRest, api_key
from tests.e2e.money import POLAND, Operator, add_recipient

SECRET_SHAPES = {
    "argon2 hash": re.compile(r"\$argon2"),
    "bcrypt hash": re.compile(r"\$2[aby]\$"),
    "JWT": re.compile(r"eyJ[A-Za-z0-9_-]{10,}\."),
    "IBAN": re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b"),
    "Norwegian account number": re.compile(r"\b\d{4}\.\d{2}\.\d{5}\b|\b\d{11}\b"),
}


def unique_name() -> str:
    return "Priv" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def test_no_personal_data_or_secret_in_any_log_line(
    make_rest: MakeRest, drop_system: DropSystem, operator: Operator
) -> None:
    person = registration(
        firstName=unique_name(),
        lastName=unique_name(),
        password="Leaky9Password",
        phone="+4799887766",
    )
    client = make_rest()
    registered = client.post("/api/auth/register", json=person, headers={"X-Drop-Client": "mobile"})
    assert registered.status_code == 201, registered.text
    data = registered.json()["data"]
    token = str(data["token"])
    client.headers["Authorization"] = f"Bearer {token}"
    operator.approve(data["id"])
    linked = client.post("/api/bank-accounts", json={"bankName": "DNB"})
    assert linked.status_code == 201, linked.text
    account_number = str(linked.json()["data"]["accounts"][0]["accountNumber"])
    recipient = add_recipient(client, {**POLAND, "name": f"{unique_name()} {unique_name()}"})
    key = api_key(drop_system, "rates")

    # Failing calls, whose error paths are the ones that used to log data.
    make_rest().post("/api/auth/register", json=person)  # the email is taken: 409
    make_rest().post("/api/auth/login", json={"email": person["email"], "password": "Wrong12345"})
    client.post("/api/recipients", json={**POLAND, "name": "Ana\u0000"})  # NUL: 400
    client.post(
        "/api/transactions/remittance",
        json={"recipientId": recipient["id"], "amount": 99999999},
    )
    make_rest().get("/api/admin/users", headers={"X-Api-Key": key})  # wrong scope: 403
    password_hash = str(
        operator.sql("SELECT password_hash FROM users WHERE id = :id", id=data["id"])[0][0]
    )

    log = drop_system.log_text()
    assert "/drop.v1.RecipientService/CreateRecipient" in log  # the calls were logged...
    private = {
        "password": str(person["password"]),
        "password hash": password_hash,
        "email": str(person["email"]),
        "first name": str(person["firstName"]),
        "last name": str(person["lastName"]),
        "phone": str(person["phone"]),
        "date of birth": str(person["dateOfBirth"]),
        "account number": account_number,
        "account digits": account_number.replace(".", ""),
        "recipient IBAN": POLAND["bankAccount"],
        "recipient name": str(recipient["name"]),
        "token": token,
        "API key": key,
    }
    leaks = [what for what, value in private.items() if value in log]
    leaks += [what for what, shape in SECRET_SHAPES.items() if shape.search(log)]
    assert leaks == [], leaks  # ...without any of that
