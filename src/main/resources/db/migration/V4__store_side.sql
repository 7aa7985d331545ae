-- Store side (issue 4): minted order codes and the transactional outbox of order changes.

-- ---------------------------------------------------------------- order codes
-- Every code the hub ever minted, per tenant. Reserving a code is an INSERT .. ON CONFLICT DO NOTHING on this key:
-- two transactions drawing the same code concurrently cannot both get it (the second waits for the first and then
-- draws again), which a check against order_fulfillment alone could not promise. A code is never handed out twice,
-- even after its order is gone.
CREATE TABLE order_code (
    tenant_id         text        NOT NULL,
    order_code        text        NOT NULL,
    customer_order_id text        NOT NULL,
    fulfillment_id    text        NOT NULL,
    minted_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, order_code)
);

-- ---------------------------------------------------------------- outbox
-- outbound.md: an order change is written here in the transaction that made it, so a change is never published
-- without being stored nor stored without being published. Delivery to subscribers reads from here.
CREATE TABLE outbox_event (
    seq               bigserial PRIMARY KEY,
    event_id          uuid        NOT NULL UNIQUE,
    tenant_id         text        NOT NULL,
    event_type        text        NOT NULL,
    customer_order_id text,
    business_unit_id  text,
    -- the business units the order is visible to when it changed (placing and fulfilling), for subscription filters
    business_units    text[]      NOT NULL DEFAULT '{}',
    origin            text        NOT NULL CHECK (origin IN ('OMS', 'STORE', 'HUB')),
    correlation_id    text,
    payload           text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_event_order ON outbox_event (tenant_id, customer_order_id, seq);
