-- Foundation schema: tenants and keys, the PostgreSQL bus, orders, history, dead letters, idempotency.
-- Flyway owns every table, key and index; no Camel component creates tables.

-- ---------------------------------------------------------------- tenants and credentials
CREATE TABLE tenant (
    tenant_id        text PRIMARY KEY,
    mode             text        NOT NULL DEFAULT 'events'
                     CHECK (mode IN ('events', 'proxy', 'polling', 'migrating')),
    proxy_base_url   text,
    polling          text,
    default_currency text        NOT NULL DEFAULT 'EUR',
    time_zone        text        NOT NULL DEFAULT 'UTC',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 hashes of high-entropy random secrets; the key id is the lookup handle.
CREATE TABLE api_key (
    key_id         text PRIMARY KEY,
    tenant_id      text        NOT NULL REFERENCES tenant (tenant_id),
    secret_hash    bytea       NOT NULL,
    name           text,
    roles          text[]      NOT NULL,
    business_units text[],
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);

-- Hub-wide secrets (operator token, ops password) kept as hashes only.
CREATE TABLE hub_secret (
    name       text PRIMARY KEY,
    hash       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- the PostgreSQL bus
-- The acceptance sequence: one PostgreSQL sequence, so strictly increasing per tenant too. Per order it follows
-- commit order because accepts of one order are serialised by an advisory lock before nextval().
CREATE SEQUENCE event_seq;

-- Accepted events waiting to be applied. A row is deleted in the transaction that records its outcome,
-- so the table holds only the backlog.
CREATE TABLE bus_event (
    seq               bigint PRIMARY KEY,
    event_id          uuid        NOT NULL UNIQUE,
    tenant_id         text        NOT NULL,
    customer_order_id text        NOT NULL,
    business_unit_id  text        NOT NULL,
    origin            text        NOT NULL,
    snapshot_time     timestamptz NOT NULL,
    event_time_given  boolean     NOT NULL DEFAULT false,
    payload           text        NOT NULL,
    correlation_id    text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    attempts          int         NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_error        text
);
-- the poller walks each tenant's backlog in sequence order (fairness across tenants)
CREATE INDEX bus_event_tenant_seq ON bus_event (tenant_id, seq);
-- the head of one order's backlog
CREATE INDEX bus_event_order_seq ON bus_event (tenant_id, customer_order_id, seq);

-- Camel idempotent repository: event ids whose outcome is committed, written in the same transaction.
CREATE TABLE processed_event (
    processor_name text        NOT NULL,
    event_id       text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (processor_name, event_id)
);
CREATE INDEX processed_event_created ON processed_event (created_at);

-- ---------------------------------------------------------------- orders
CREATE TABLE customer_order (
    tenant_id         text        NOT NULL,
    customer_order_id text        NOT NULL,
    business_unit_id  text        NOT NULL,
    document          text        NOT NULL,
    status            text        NOT NULL,
    customer_id       text,
    customer_name     text,
    origin            text        NOT NULL,
    applied_seq       bigint,
    oms_snapshot_time timestamptz,
    flags             text[]      NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    changed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, customer_order_id)
);
-- search: default order is most recently changed first, scoped by placing business unit
CREATE INDEX customer_order_bu_changed ON customer_order (tenant_id, business_unit_id, changed_at DESC, customer_order_id);
CREATE INDEX customer_order_changed ON customer_order (tenant_id, changed_at DESC, customer_order_id);
CREATE INDEX customer_order_customer ON customer_order (tenant_id, customer_id);
CREATE INDEX customer_order_status ON customer_order (tenant_id, status, changed_at DESC);
CREATE INDEX customer_order_name ON customer_order (tenant_id, lower(customer_name) text_pattern_ops);

-- One row per fulfilment, for visibility, ownership and search.
CREATE TABLE order_fulfillment (
    tenant_id                    text NOT NULL,
    customer_order_id            text NOT NULL,
    fulfillment_id               text NOT NULL,
    fulfillment_method           text NOT NULL,
    fulfillment_business_unit_id text,
    status                       text NOT NULL,
    order_code                   text,
    email                        text,
    phone                        text,
    PRIMARY KEY (tenant_id, customer_order_id, fulfillment_id),
    FOREIGN KEY (tenant_id, customer_order_id) REFERENCES customer_order (tenant_id, customer_order_id) ON DELETE CASCADE
);
CREATE INDEX order_fulfillment_bu ON order_fulfillment (tenant_id, fulfillment_business_unit_id);
CREATE UNIQUE INDEX order_fulfillment_code ON order_fulfillment (tenant_id, order_code) WHERE order_code IS NOT NULL;
CREATE INDEX order_fulfillment_email ON order_fulfillment (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX order_fulfillment_phone ON order_fulfillment (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX order_fulfillment_status ON order_fulfillment (tenant_id, status);

-- Every event and operation on an order with its outcome.
CREATE TABLE order_history (
    id                bigserial PRIMARY KEY,
    tenant_id         text        NOT NULL,
    customer_order_id text        NOT NULL,
    at                timestamptz NOT NULL DEFAULT now(),
    kind              text        NOT NULL,
    outcome           text,
    event_id          uuid,
    seq               bigint,
    origin            text,
    actor             text,
    correlation_id    text,
    snapshot_time     timestamptz,
    detail            text,
    payload           text
);
CREATE INDEX order_history_order ON order_history (tenant_id, customer_order_id, id);
CREATE INDEX order_history_at ON order_history (at) WHERE payload IS NOT NULL;

-- ---------------------------------------------------------------- dead letters
CREATE TABLE dead_letter (
    id                uuid PRIMARY KEY,
    event_id          uuid        NOT NULL,
    seq               bigint,
    tenant_id         text        NOT NULL,
    customer_order_id text        NOT NULL,
    business_unit_id  text        NOT NULL,
    origin            text        NOT NULL,
    snapshot_time     timestamptz,
    event_time_given  boolean     NOT NULL DEFAULT false,
    payload           text        NOT NULL,
    correlation_id    text,
    received_at       timestamptz NOT NULL,
    dead_lettered_at  timestamptz NOT NULL DEFAULT now(),
    attempts          int         NOT NULL,
    error_class       text        NOT NULL CHECK (error_class IN ('TRANSIENT', 'PERSISTENT', 'UNKNOWN')),
    error             text        NOT NULL,
    status            text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED', 'DISCARDED')),
    resolved_outcome  text,
    resolved_at       timestamptz
);
CREATE INDEX dead_letter_tenant ON dead_letter (tenant_id, dead_lettered_at DESC);
CREATE INDEX dead_letter_order ON dead_letter (tenant_id, customer_order_id);
CREATE INDEX dead_letter_resolved ON dead_letter (resolved_at) WHERE status <> 'OPEN';

-- ---------------------------------------------------------------- idempotency keys of requests
CREATE TABLE idempotency_key (
    tenant_id       text        NOT NULL,
    scope           text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    response_status int         NOT NULL,
    response_body   text        NOT NULL,
    response_location text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, idempotency_key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

-- ---------------------------------------------------------------- alerts
-- One row per incident and kind: the unique key is what makes an alert fire once per incident.
CREATE TABLE alert (
    id             bigserial PRIMARY KEY,
    kind           text        NOT NULL,
    incident_key   text        NOT NULL,
    severity       text        NOT NULL,
    tenant_id      text,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    attempts       int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at        timestamptz,
    last_error     text,
    UNIQUE (kind, incident_key)
);
CREATE INDEX alert_pending ON alert (next_attempt_at) WHERE sent_at IS NULL;
