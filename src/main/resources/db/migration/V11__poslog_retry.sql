-- POSLogs that could not be issued (outbound.md "POSLog"): the order is flagged FINALIZATION_FAILED and the POSLog is
-- retried from here until it is issued. What was handed out is kept (the cause); the amounts are read from the order
-- as it is at the retry, so an OMS correction of the order's data lets the retry succeed.
CREATE TABLE poslog_pending (
    id                bigserial PRIMARY KEY,
    tenant_id         text        NOT NULL,
    customer_order_id text        NOT NULL,
    fulfillment_id    text        NOT NULL,
    source            text        NOT NULL CHECK (source IN ('STORE_DELIVERY', 'WAREHOUSE')),
    cause             text        NOT NULL,
    handouts          text        NOT NULL,
    origin            text        NOT NULL,
    correlation_id    text,
    happened_at       timestamptz NOT NULL,
    attempts          int         NOT NULL DEFAULT 1,
    next_attempt_at   timestamptz NOT NULL,
    last_error        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, cause)
);
CREATE INDEX poslog_pending_due ON poslog_pending (next_attempt_at);
