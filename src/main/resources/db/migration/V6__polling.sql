-- Polling mode (api.md "Polling mode"): where each polling tenant's last complete poll left off, and how polling goes.
-- Only a complete poll moves the cursor, so a poll that fails half-way is repeated from where the last one ended:
-- what was read twice is harmless (duplicates and unchanged snapshots have no effect), nothing is skipped.
CREATE TABLE poll_state (
    tenant_id            text PRIMARY KEY REFERENCES tenant (tenant_id),
    -- the OMS's own opaque cursor when it sends one ('oms'), else the greatest snapshot time seen ('time')
    cursor               text,
    cursor_kind          text CHECK (cursor_kind IN ('oms', 'time')),
    last_poll_at         timestamptz,
    last_result          text,
    consecutive_failures int         NOT NULL DEFAULT 0,
    failing_since        timestamptz,
    next_poll_at         timestamptz NOT NULL DEFAULT now()
);
