"""Consents (GDPR): the current state per type, and an append-only log of every change with the
client IP that Envoy saw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from drop.v1 import privacy_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Consent, ConsentEvent
from drop_server.domain import ids
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed

# Allowed values come from the request's `(drop.v1.rules)` in the .proto, which the OpenAPI
# document shows too: declared once.
CONSENT_TYPES = allowed(privacy_pb2.RecordConsentRequest, "consent_type")


@dataclass(frozen=True)
class ConsentChange:
    consent: Consent
    created: bool


def list_consents(db: Database, principal: Principal) -> list[Consent]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(Consent)
                .where(Consent.user_id == principal.user_id)
                .order_by(Consent.consent_type)
            )
        )


def record_consent(
    db: Database, principal: Principal, consent_type: str | None, granted: bool | None, ip: str
) -> ConsentChange:
    assert principal.user_id is not None
    missing = [
        FieldError(f, "Is required")
        for f, v in (("consentType", consent_type), ("granted", granted))
        if v is None
    ]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    if consent_type not in CONSENT_TYPES:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("consentType", f"Must be one of: {', '.join(CONSENT_TYPES)}")],
        )
    assert granted is not None
    now = datetime.now(UTC)
    with db.transaction() as session:
        consent = session.scalars(
            select(Consent)
            .where(Consent.user_id == principal.user_id, Consent.consent_type == consent_type)
            .with_for_update()
        ).one_or_none()
        created = consent is None
        if consent is None:
            consent = Consent(
                id=ids.new_id("con"),
                user_id=principal.user_id,
                consent_type=consent_type,
                ip_address=ip,
            )
            session.add(consent)
        consent.granted = granted
        consent.ip_address = ip
        consent.updated_at = now
        if granted:
            consent.granted_at = now
            consent.withdrawn_at = None
        else:
            consent.withdrawn_at = now
        session.flush()
        session.add(ConsentEvent(consent_id=consent.id, granted=granted, ip_address=ip))
    return ConsentChange(consent=consent, created=created)


def consent_history(db: Database, consent_id: str) -> list[ConsentEvent]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(ConsentEvent)
                .where(ConsentEvent.consent_id == consent_id)
                .order_by(ConsentEvent.id)
            )
        )
