-- When the event was accepted, beside when its outcome was recorded: accept-to-applied lag per event.
ALTER TABLE order_history ADD COLUMN received_at timestamptz;
