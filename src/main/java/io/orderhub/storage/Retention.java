package io.orderhub.storage;

import io.orderhub.HubProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps tables from growing without bound ({@code hub.retention.*}): deletes, or strips payloads from, rows older than
 * their retention, in batches of {@code hub.retention.batch-size} so no statement holds locks for long.
 */
@Component("retention")
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final HubProperties.Retention settings;

    public Retention(NamedParameterJdbcTemplate jdbc, HubProperties hub) {
        this.jdbc = jdbc;
        this.settings = hub.retention();
    }

    /** One sweep over every table with a retention; returns the rows touched. */
    public long sweep() {
        long touched = 0;
        touched += repeat(
                """
                UPDATE order_history SET payload = NULL WHERE id IN (
                    SELECT id FROM order_history WHERE payload IS NOT NULL AND at < now() - make_interval(secs => :age)
                    LIMIT :batch)
                """,
                settings.historyPayloads());
        touched += repeat(
                """
                DELETE FROM idempotency_key WHERE ctid IN (
                    SELECT ctid FROM idempotency_key WHERE created_at < now() - make_interval(secs => :age) LIMIT :batch)
                """,
                settings.idempotencyKeys());
        touched += repeat(
                """
                DELETE FROM processed_event WHERE ctid IN (
                    SELECT ctid FROM processed_event WHERE created_at < now() - make_interval(secs => :age) LIMIT :batch)
                """,
                settings.processedEvents());
        touched += repeat(
                """
                DELETE FROM dead_letter WHERE id IN (
                    SELECT id FROM dead_letter WHERE status <> 'OPEN' AND resolved_at < now() - make_interval(secs => :age)
                    LIMIT :batch)
                """,
                settings.resolvedDeadLetters());
        touched += repeat(
                """
                DELETE FROM alert WHERE id IN (
                    SELECT id FROM alert WHERE created_at < now() - make_interval(secs => :age) LIMIT :batch)
                """,
                settings.alerts());
        touched += repeat(
                """
                DELETE FROM webhook_delivery WHERE delivery_id IN (
                    SELECT delivery_id FROM webhook_delivery
                    WHERE status = 'DELIVERED' AND delivered_at < now() - make_interval(secs => :age) LIMIT :batch)
                """,
                settings.deliveredDeliveries());
        // an event goes once no journal row refers to it any more (failed deliveries keep theirs for replay)
        touched += repeat(
                """
                DELETE FROM outbox_event WHERE seq IN (
                    SELECT o.seq FROM outbox_event o
                    WHERE o.created_at < now() - make_interval(secs => :age)
                      AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = o.event_id)
                    LIMIT :batch)
                """,
                settings.outboxEvents());
        if (touched > 0) {
            log.info("Retention removed or trimmed {} rows", touched);
        }
        return touched;
    }

    private long repeat(String sql, Duration age) {
        MapSqlParameterSource p =
                new MapSqlParameterSource("age", age.toSeconds()).addValue("batch", settings.batchSize());
        long total = 0;
        int n;
        do {
            n = jdbc.update(sql, p);
            total += n;
        } while (n == settings.batchSize());
        return total;
    }
}
