-- POSLogs (outbound.md "POSLog"): every POSLog the hub issued or relayed, and the gapless sequence numbers per business
-- unit and workstation.

-- transaction_id is derived from what caused the POSLog (the store delivery, the warehouse fulfilment, the POS's own
-- business unit + workstation + sequence number), so a redelivered event, a retried operation or a resubmission finds
-- it already issued and issues nothing.
CREATE TABLE poslog (
    tenant_id         text        NOT NULL,
    transaction_id    uuid        NOT NULL,
    business_unit_id  text        NOT NULL,
    workstation_id    text        NOT NULL,
    sequence_number   bigint      NOT NULL,
    customer_order_id text,
    fulfillment_id    text,
    source            text        NOT NULL CHECK (source IN ('STORE_DELIVERY', 'WAREHOUSE', 'POS')),
    business_day      date,
    xml               text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, transaction_id)
);
CREATE INDEX poslog_order ON poslog (tenant_id, customer_order_id);

-- The last sequence number issued per business unit and workstation. Taken with UPDATE .. RETURNING inside the
-- transaction that stores the POSLog: the row lock serialises issuers and a rollback gives the number back, so the
-- numbers have no gaps.
CREATE TABLE poslog_sequence (
    tenant_id        text   NOT NULL,
    business_unit_id text   NOT NULL,
    workstation_id   text   NOT NULL,
    last_value       bigint NOT NULL,
    PRIMARY KEY (tenant_id, business_unit_id, workstation_id)
);

-- the business day of a POSLog event, for the envelope's meta.businessDay
ALTER TABLE outbox_event ADD COLUMN business_day date;
