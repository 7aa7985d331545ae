-- Outbound webhooks (outbound.md, api.md "Webhook subscriptions"): subscriptions and the delivery journal.

-- Secrets (auth password or token, shared key) are stored sealed (storage/SecretBox), the tenant and webhook id in
-- the authenticated data.
CREATE TABLE webhook_subscription (
    tenant_id         text        NOT NULL REFERENCES tenant (tenant_id),
    webhook_id        text        NOT NULL,
    url               text        NOT NULL,
    event_types       text[]      NOT NULL,
    origins           text[],
    business_units    text[],
    auth_type         text CHECK (auth_type IN ('basic', 'bearer')),
    auth_username     text,
    sealed_auth       text,
    sealed_shared_key text        NOT NULL,
    enabled           boolean     NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, webhook_id)
);

-- One row per event and subscription: written in the transaction of the change that caused the event (so a change is
-- never stored without its deliveries), then worked off by the dispatch route. The event itself (its payload, time
-- and correlation id) stays in outbox_event; the event id is the same on every attempt and replay.
CREATE TABLE webhook_delivery (
    delivery_id       bigserial PRIMARY KEY,
    tenant_id         text        NOT NULL,
    webhook_id        text        NOT NULL,
    event_id          uuid        NOT NULL REFERENCES outbox_event (event_id),
    event_type        text        NOT NULL,
    -- deliveries of one order to one subscription go in delivery_id order; events of no order (ping) are their own
    order_key         text        NOT NULL,
    customer_order_id text,
    status            text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts          int         NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    -- a claimed delivery is leased to one dispatcher (of one hub instance) until then
    lease_until       timestamptz,
    last_status_code  int,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_attempt_at   timestamptz,
    delivered_at      timestamptz,
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhook_subscription (tenant_id, webhook_id) ON DELETE CASCADE,
    UNIQUE (tenant_id, webhook_id, event_id)
);
-- the dispatcher's question: which pending deliveries are due, and is each the first pending one of its order
CREATE INDEX webhook_delivery_pending ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_order ON webhook_delivery (tenant_id, webhook_id, order_key, delivery_id)
    WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_journal ON webhook_delivery (tenant_id, webhook_id, delivery_id DESC);
