"""Events: what happened to a user's money, written by triggers in the very transaction that
changed it (an outbox: an event exists exactly when its change committed), for live streams
(README "Live events") and signed webhooks (README "Webhooks").

Per user, event ids grow in commit order: the trigger takes a per-user advisory lock (held to
commit) before it draws the id, so a reader that has seen id N of a user never later finds a
smaller one committed; `id > N` resumes without gaps or duplicates. Each event is announced
with NOTIFY drop_events '<id> <user_id>' (delivered at commit).

A webhook endpoint subscribed to the event's type gets a delivery row and a job on the queue
(`drop.deliver_webhook`) in the same transaction: nothing is sent from the request path, and
nothing committed is left undelivered.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TIME = "to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def _time(value: str) -> str:
    return TIME.format(value=value)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("data", postgresql.JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_events_user_id_id", "events", ["user_id", "id"])
    op.create_index("ix_events_created", "events", ["created_at"])
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        # The event types it receives (a JSON array of strings).
        sa.Column("event_types", postgresql.JSONB, nullable=False),
        # The signing secret, encrypted (services/webhook_secrets.py); shown once, at creation.
        sa.Column("secret_ciphertext", sa.LargeBinary, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        # Deleted endpoints get no new deliveries; their delivery log stays.
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_webhook_endpoints_user_live",
        "webhook_endpoints",
        ["user_id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "endpoint_id", sa.String(32), sa.ForeignKey("webhook_endpoints.id"), nullable=False
        ),
        sa.Column("event_id", sa.BigInteger, sa.ForeignKey("events.id"), nullable=False),
        # pending -> delivered | failed
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.String(200)),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("failed_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_created",
        "webhook_deliveries",
        ["endpoint_id", "created_at"],
    )
    op.create_index(
        "ix_webhook_deliveries_pending",
        "webhook_deliveries",
        ["created_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.execute("""
    CREATE FUNCTION drop_emit_event(owner text, kind text, payload jsonb) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
      event_id bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('drop_events:' || owner, 0));
      INSERT INTO events (user_id, type, data) VALUES (owner, kind, payload)
      RETURNING id INTO event_id;
      PERFORM pg_notify('drop_events', event_id || ' ' || owner);
    END $$""")
    op.execute(f"""
    CREATE FUNCTION drop_transaction_events() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      visible text;
      was_visible text;
      prefix text;
      merchant_owner text;
      payload jsonb;
    BEGIN
      -- What clients see: an intent the bank has not answered and a refused payment are not
      -- events (the payer was answered by the route itself).
      visible := CASE
        WHEN NEW.status = 'rejected' THEN NULL
        WHEN NEW.status = 'processing' AND NEW.payment_id IS NULL THEN NULL
        ELSE NEW.status END;
      IF TG_OP = 'UPDATE' THEN
        was_visible := CASE
          WHEN OLD.status = 'rejected' THEN NULL
          WHEN OLD.status = 'processing' AND OLD.payment_id IS NULL THEN NULL
          ELSE OLD.status END;
      END IF;
      IF visible IS NULL OR visible IS NOT DISTINCT FROM was_visible THEN
        RETURN NULL;
      END IF;
      prefix := CASE WHEN NEW.type = 'remittance' THEN 'remittance' ELSE 'payment' END;
      payload := jsonb_strip_nulls(jsonb_build_object(
        'id', NEW.id, 'type', NEW.type, 'status', NEW.status,
        -- trim_scale: 45 and 89.5, as the API prints amounts, not 45.00 and 89.50.
        'amount', trim_scale(NEW.amount), 'currency', NEW.currency,
        'fee', trim_scale(NEW.fee), 'total', trim_scale(NEW.total),
        'receiveAmount', trim_scale(NEW.receive_amount), 'receiveCurrency', NEW.receive_currency,
        'exchangeRate', trim_scale(NEW.exchange_rate), 'recipientName', NEW.recipient_name,
        'merchantId', NEW.merchant_id, 'merchantName', NEW.merchant_name,
        'createdAt', {_time("NEW.created_at")}, 'completedAt', {_time("NEW.completed_at")}));
      IF NEW.merchant_id IS NOT NULL AND visible = 'completed' THEN
        SELECT user_id INTO merchant_owner FROM merchants WHERE id = NEW.merchant_id;
      END IF;
      -- Both users' locks in one order, so two payments between the same two users cannot
      -- wait for each other here.
      IF merchant_owner IS NOT NULL AND merchant_owner < NEW.user_id THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('drop_events:' || merchant_owner, 0));
      END IF;
      PERFORM drop_emit_event(NEW.user_id, prefix || '.' || visible, payload);
      IF merchant_owner IS NOT NULL THEN
        -- The merchant's view: the payment, without the payer's fee.
        PERFORM drop_emit_event(merchant_owner, 'payment.received', jsonb_strip_nulls(
          jsonb_build_object(
            'id', NEW.id, 'merchantId', NEW.merchant_id, 'amount', trim_scale(NEW.amount),
            'currency', NEW.currency, 'reference', NEW.reference,
            'createdAt', {_time("NEW.created_at")},
            'completedAt', {_time("NEW.completed_at")})));
      END IF;
      RETURN NULL;
    END $$""")  # noqa: S608 (fixed text: no input reaches it)
    op.execute(
        "CREATE TRIGGER transactions_events AFTER INSERT OR UPDATE ON transactions"
        " FOR EACH ROW EXECUTE FUNCTION drop_transaction_events()"
    )
    op.execute(f"""
    CREATE FUNCTION drop_notification_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM drop_emit_event(NEW.user_id, 'notification.created', jsonb_build_object(
        'id', NEW.id, 'type', NEW.type, 'title', NEW.title, 'body', NEW.body,
        'read', NEW.read, 'createdAt', {_time("NEW.created_at")}));
      RETURN NULL;
    END $$""")
    op.execute(
        "CREATE TRIGGER notifications_events AFTER INSERT ON notifications"
        " FOR EACH ROW EXECUTE FUNCTION drop_notification_events()"
    )
    op.execute(f"""
    CREATE FUNCTION drop_complaint_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved' THEN
        PERFORM drop_emit_event(NEW.user_id, 'complaint.resolved', jsonb_strip_nulls(
          jsonb_build_object(
            'id', NEW.id, 'category', NEW.category, 'subject', NEW.subject,
            'status', NEW.status, 'resolution', NEW.resolution,
            'resolvedAt', {_time("NEW.resolved_at")})));
      END IF;
      RETURN NULL;
    END $$""")
    op.execute(
        "CREATE TRIGGER complaints_events AFTER UPDATE ON complaints"
        " FOR EACH ROW EXECUTE FUNCTION drop_complaint_events()"
    )
    # Fan-out to webhooks: a delivery and its job per subscribed endpoint, in the same commit.
    op.execute("""
    CREATE FUNCTION drop_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      endpoint record;
      delivery_id text;
    BEGIN
      FOR endpoint IN
        SELECT id FROM webhook_endpoints
        WHERE user_id = NEW.user_id AND deleted_at IS NULL AND event_types ? NEW.type
      LOOP
        delivery_id := 'whd_' || substr(md5(gen_random_uuid()::text), 1, 16);
        INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
        VALUES (delivery_id, endpoint.id, NEW.id, now());
        PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
          'webhooks', 'drop.deliver_webhook', 0, NULL, NULL,
          jsonb_build_object('delivery_id', delivery_id), NULL
        )::procrastinate_job_to_defer_v1]);
      END LOOP;
      RETURN NULL;
    END $$""")
    op.execute(
        "CREATE TRIGGER events_webhook_deliveries AFTER INSERT ON events"
        " FOR EACH ROW EXECUTE FUNCTION drop_webhook_deliveries()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER events_webhook_deliveries ON events")
    op.execute("DROP FUNCTION drop_webhook_deliveries()")
    op.execute("DROP TRIGGER complaints_events ON complaints")
    op.execute("DROP FUNCTION drop_complaint_events()")
    op.execute("DROP TRIGGER notifications_events ON notifications")
    op.execute("DROP FUNCTION drop_notification_events()")
    op.execute("DROP TRIGGER transactions_events ON transactions")
    op.execute("DROP FUNCTION drop_transaction_events()")
    op.execute("DROP FUNCTION drop_emit_event(text, text, jsonb)")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("events")
