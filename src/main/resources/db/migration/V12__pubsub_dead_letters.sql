-- The Pub/Sub bus's dead-letter subscription may deliver one message more than once: the consumer looks the event
-- up before storing it again.
CREATE INDEX dead_letter_event ON dead_letter (event_id);
