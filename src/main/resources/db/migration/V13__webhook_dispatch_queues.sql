-- The dispatcher claims per subscription: for each enabled subscription it walks that subscription's pending
-- deliveries in delivery_id order and stops after as many as the subscription has free lanes. With these two indexes
-- a claim reads a few rows per subscription whatever the backlog; before, it read every pending delivery of every
-- subscription on every tick (measured: 30 deliveries/s, falling as the backlog grew).

-- a subscription's queue, in the order its deliveries go out
CREATE INDEX webhook_delivery_queue ON webhook_delivery (tenant_id, webhook_id, delivery_id) WHERE status = 'PENDING';

-- the deliveries some dispatcher holds (in flight, or leased by an instance that died): small, because a finished
-- attempt clears its lease
CREATE INDEX webhook_delivery_leased ON webhook_delivery (tenant_id, webhook_id)
    WHERE status = 'PENDING' AND lease_until IS NOT NULL;

-- the claim no longer reads pending deliveries by due time, and nothing else does (the health check groups pending
-- deliveries by subscription, which webhook_delivery_queue serves): one index less to write for each of the ten or so
-- journal rows a change makes
DROP INDEX webhook_delivery_pending;
