-- Subscription health (outbound.md "Delivery rules"): when a subscription last had a successful delivery, so one whose
-- attempts keep failing for hub.webhooks.disable-after is disabled (with an alert); when it was disabled.
ALTER TABLE webhook_subscription ADD COLUMN last_success_at timestamptz;
ALTER TABLE webhook_subscription ADD COLUMN disabled_at timestamptz;
-- retention of delivered deliveries: found by their delivery time
CREATE INDEX webhook_delivery_delivered ON webhook_delivery (delivered_at) WHERE status = 'DELIVERED';
