package io.orderhub.support;

import com.google.cloud.pubsub.v1.Publisher;
import io.orderhub.ingest.OrderEvent;
import io.orderhub.ingest.PubSubMessages;
import io.orderhub.storage.Timestamps;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes the bus deliver an applied event once more, the very same event (id and sequence), as after an
 * acknowledgement that got lost: a row of the PostgreSQL bus again, or the same message published to Pub/Sub again.
 */
public final class Redelivery {

    private Redelivery() {}

    /** Redelivers the event recorded APPLIED for the order. */
    public static void ofAppliedEvent(ApplicationContext hub, String customerOrderId) throws Exception {
        JdbcTemplate db = hub.getBean(JdbcTemplate.class);
        OrderEvent event = db.queryForObject(
                """
                SELECT event_id, seq, tenant_id, customer_order_id, origin, snapshot_time, payload, correlation_id, at
                FROM order_history WHERE customer_order_id = ? AND outcome = 'APPLIED'
                """,
                (rs, n) -> new OrderEvent(
                        rs.getObject("event_id", UUID.class),
                        rs.getLong("seq"),
                        rs.getString("tenant_id"),
                        rs.getString("customer_order_id"),
                        "S1",
                        rs.getString("origin"),
                        Timestamps.utc(rs.getTimestamp("snapshot_time")),
                        false,
                        rs.getString("payload"),
                        rs.getString("correlation_id"),
                        Timestamps.utc(rs.getTimestamp("at")),
                        0),
                customerOrderId);
        if (PubSubBus.chosen()) {
            hub.getBean(Publisher.class).publish(PubSubMessages.encode(event)).get(10, TimeUnit.SECONDS);
            return;
        }
        db.update(
                """
                INSERT INTO bus_event (seq, event_id, tenant_id, customer_order_id, business_unit_id, origin,
                    snapshot_time, payload, correlation_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                event.seq(),
                event.eventId(),
                event.tenantId(),
                event.customerOrderId(),
                event.businessUnitId(),
                event.origin(),
                event.snapshotTime(),
                event.payload(),
                event.correlationId());
    }
}
