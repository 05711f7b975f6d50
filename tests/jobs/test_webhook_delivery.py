"""Webhook deliveries in one process against a database of their own: an event fans out to a
delivery and a job on the `webhooks` queue, the job worker sends it, failures are retried on
schedule until `failed`, a duplicate job sends nothing, a delivery past 24 hours is given up,
and private targets are refused unless DROP_WEBHOOK_ALLOW_PRIVATE (at creation and at
delivery)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import procrastinate
import pytest
from sqlalchemy import select, text, update

from drop_server.auth.principal import Principal
from drop_server.config import Settings, load_settings
from drop_server.db.engine import Database
from drop_server.db.models import Merchant, User, WebhookDelivery
from drop_server.domain import ids
from drop_server.domain import webhooks as rules
from drop_server.domain.users import Role
from drop_server.errors import ApiError
from drop_server.jobs import app as jobs
from drop_server.jobs import context
from drop_server.providers import configured_bank
from drop_server.services import webhook_delivery, webhooks
from tests.e2e.webhook_receiver import receiver, verified
from tests.support.databases import fresh_database


@pytest.fixture(scope="module")
def url(postgres_url: str) -> str:
    return fresh_database(postgres_url, "webhooks")


@pytest.fixture
def db(url: str) -> Iterator[Database]:
    database = Database(url, pool_size=2)
    with database.transaction() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
    yield database
    database.dispose()


def settings_for(tmp_path: Path, **env: str) -> Settings:
    return load_settings(
        {"DROP_DATA_DIR": str(tmp_path), "DROP_WEBHOOK_RETRY_BASE_SECONDS": "0.01", **env}
    )


def merchant_principal(db: Database) -> Principal:
    user = User(
        id=ids.new_id("usr"), first_name="Ena", last_name="Hadžić", role=Role.MERCHANT.value
    )
    with db.transaction() as session:
        session.add(user)
        session.flush()
        session.add(
            Merchant(
                id=ids.new_id("mer"),
                user_id=user.id,
                business_name="Ćevabdžinica",
                org_number=f"{secrets.randbelow(10**9):09d}",
                payout_account="15036326783",
            )
        )
    return Principal(user_id=user.id, role=Role.MERCHANT)


def emit(db: Database, user_id: str, kind: str = "payment.received") -> None:
    with db.transaction() as session:
        session.execute(
            text("SELECT drop_emit_event(:user, :kind, CAST(:data AS jsonb))"),
            {"user": user_id, "kind": kind, "data": '{"id": "tx_qr_0123456789abcdef"}'},
        )


def work_off(url: str, settings: Settings, db: Database) -> None:
    """Runs the webhooks queue until no job is due (wait=False), as the jobs process does."""
    context.install(context.JobScope(settings=settings, db=db, bank=configured_bank(settings, db)))

    async def main() -> None:
        with jobs.app.replace_connector(procrastinate.PsycopgConnector(conninfo=url)):
            async with jobs.app.open_async():
                await jobs.app.run_worker_async(
                    queues=[jobs.WEBHOOKS_QUEUE],
                    wait=False,
                    install_signal_handlers=False,
                    delete_jobs="never",
                    concurrency=1,
                )

    asyncio.run(main())


def the_delivery(db: Database, endpoint_id: str) -> WebhookDelivery:
    with db.transaction() as session:
        return session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.created_at.desc())
        ).first()  # type: ignore[return-value]


def make_due(db: Database) -> None:
    with db.transaction() as session:
        session.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now()"))


def test_retried_on_schedule_until_delivered_and_a_duplicate_job_sends_nothing(
    url: str, db: Database, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, DROP_WEBHOOK_ALLOW_PRIVATE="1")
    owner = merchant_principal(db)
    with receiver(failures=3) as hook:
        created = webhooks.create_webhook(
            db, settings, owner, webhooks.NewWebhook(hook.url, ["payment.received"], None, None)
        )
        emit(db, str(owner.user_id), "payment.received")
        emit(db, str(owner.user_id), "remittance.completed")  # not subscribed: no delivery
        for _ in range(4):
            work_off(url, settings, db)
            make_due(db)
        delivery = the_delivery(db, created.endpoint.id)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "delivered",
            4,
            200,
        )
        assert [c.answered for c in hook.calls] == [500, 500, 500, 200]
        assert all(verified(c, created.secret) for c in hook.calls)
        # The same attempt's job again (a retry after a crash): nothing is sent twice.
        assert webhook_delivery.deliver(db, settings, delivery.id, 3) == "skipped"
        assert len(hook.calls) == 4


def test_failed_after_the_retries_and_after_24_hours(
    url: str, db: Database, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, DROP_WEBHOOK_ALLOW_PRIVATE="1")
    owner = merchant_principal(db)
    with receiver(failures=100) as hook:
        created = webhooks.create_webhook(
            db, settings, owner, webhooks.NewWebhook(hook.url, ["complaint.resolved"], "", None)
        )
        emit(db, str(owner.user_id), "complaint.resolved")
        for _ in range(rules.MAX_ATTEMPTS + 1):
            work_off(url, settings, db)
            make_due(db)
        delivery = the_delivery(db, created.endpoint.id)
        assert (delivery.status, delivery.attempts) == ("failed", rules.MAX_ATTEMPTS)
        assert delivery.last_error == "HTTP 500" and delivery.failed_at is not None
        assert len(hook.calls) == rules.MAX_ATTEMPTS

        emit(db, str(owner.user_id), "complaint.resolved")
        pending = the_delivery(db, created.endpoint.id)
        with db.transaction() as session:
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == pending.id)
                .values(created_at=datetime.now(UTC) - timedelta(hours=25))
            )
        work_off(url, settings, db)
        with db.transaction() as session:
            late = session.get(WebhookDelivery, pending.id)
        assert late is not None and late.attempts == 0, "no request was made"
        assert (late.status, late.last_error) == ("failed", "Not delivered within 24 hours")
        assert len(hook.calls) == rules.MAX_ATTEMPTS, "nothing sent past the 24 hours"


def test_private_targets_are_refused_without_the_development_setting(
    url: str, db: Database, tmp_path: Path
) -> None:
    # Retries a minute apart: the worker below makes exactly the first attempt.
    strict = settings_for(tmp_path, DROP_WEBHOOK_RETRY_BASE_SECONDS="60")
    assert not strict.webhook_allow_private
    owner = merchant_principal(db)
    for target in (
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "https://192.168.1.10/hook",
        "http://0.0.0.0/",
    ):
        with pytest.raises(ApiError) as refused:
            webhooks.create_webhook(
                db, strict, owner, webhooks.NewWebhook(target, ["payment.received"], None, None)
            )
        assert refused.value.http_status == 422, target
        assert refused.value.details[0].field == "url"

    # Registered while allowed, delivered while not: refused at delivery, nothing sent.
    with receiver() as hook:
        created = webhooks.create_webhook(
            db,
            replace(strict, webhook_allow_private=True),
            owner,
            webhooks.NewWebhook(hook.url, ["payment.received"], None, None),
        )
        emit(db, str(owner.user_id))
        work_off(url, strict, db)
        delivery = the_delivery(db, created.endpoint.id)
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.last_error == "Host is a private, loopback or link-local address"
        assert hook.calls == []
