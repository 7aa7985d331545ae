package io.orderhub.orders;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ingest.Events;
import io.orderhub.ingest.OrderEvent;
import io.orderhub.storage.Timestamps;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The order's history: every event and operation with its outcome, who, when and the correlation id. */
@Component("orderHistory")
public class OrderHistory {

    private static final Logger log = LoggerFactory.getLogger("io.orderhub.events");

    private final NamedParameterJdbcTemplate jdbc;

    public OrderHistory(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the outcome of the exchange's event (header {@code outcome}) and writes its one log line. */
    public void recordEvent(Exchange exchange) {
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        Object outcome = exchange.getIn().getHeader(Events.OUTCOME);
        String detail = exchange.getIn().getHeader(Events.DETAIL, String.class);
        record(event, String.valueOf(outcome), detail);
    }

    /** Records one outcome of an event. */
    public void record(OrderEvent event, String outcome, String detail) {
        jdbc.update(
                """
                INSERT INTO order_history (tenant_id, customer_order_id, kind, outcome, event_id, seq, origin, actor,
                    correlation_id, snapshot_time, detail, payload, received_at)
                VALUES (:t, :o, 'EVENT', :outcome, :eventId, :seq, :origin, :actor, :cid, :snapshotTime, :detail, :payload,
                    :receivedAt)
                """,
                new MapSqlParameterSource()
                        .addValue("t", event.tenantId())
                        .addValue("o", event.customerOrderId())
                        .addValue("outcome", outcome)
                        .addValue("eventId", event.eventId())
                        .addValue("seq", event.seq() > 0 ? event.seq() : null)
                        .addValue("origin", event.origin())
                        .addValue("actor", event.origin())
                        .addValue("cid", event.correlationId())
                        .addValue("snapshotTime", event.snapshotTime())
                        .addValue("detail", detail)
                        .addValue("payload", event.payload())
                        .addValue("receivedAt", event.receivedAt()));
        MDC.put("correlationId", event.correlationId());
        try {
            log.info(
                    "event {} seq {} of order {}/{}: {}{}",
                    event.eventId(),
                    event.seq(),
                    event.tenantId(),
                    event.customerOrderId(),
                    outcome,
                    detail == null ? "" : " (" + detail + ")");
        } finally {
            MDC.remove("correlationId");
        }
    }

    /** Records something done to an order that is not an event (a dead letter discarded, a store operation). */
    public void recordAction(
            String tenantId, String orderId, String kind, String actor, String correlationId, String detail) {
        jdbc.update(
                """
                INSERT INTO order_history (tenant_id, customer_order_id, kind, actor, correlation_id, detail)
                VALUES (:t, :o, :kind, :actor, :cid, :detail)
                """,
                new MapSqlParameterSource()
                        .addValue("t", tenantId)
                        .addValue("o", orderId)
                        .addValue("kind", kind)
                        .addValue("actor", actor)
                        .addValue("cid", correlationId)
                        .addValue("detail", detail));
    }

    /**
     * Records an operation on the order that is not an OMS event (a store operation, a store-created order), with its
     * outcome, origin, who did it and the correlation id, and writes its one log line.
     */
    public void recordOperation(
            String tenantId,
            String orderId,
            String kind,
            String outcome,
            String origin,
            String actor,
            String correlationId,
            String detail) {
        jdbc.update(
                """
                INSERT INTO order_history (tenant_id, customer_order_id, kind, outcome, origin, actor, correlation_id,
                    detail)
                VALUES (:t, :o, :kind, :outcome, :origin, :actor, :cid, :detail)
                """,
                new MapSqlParameterSource()
                        .addValue("t", tenantId)
                        .addValue("o", orderId)
                        .addValue("kind", kind)
                        .addValue("outcome", outcome)
                        .addValue("origin", origin)
                        .addValue("actor", actor)
                        .addValue("cid", correlationId)
                        .addValue("detail", detail));
        log.info("{} on order {}/{} by {}: {} ({})", kind, tenantId, orderId, actor, outcome, detail);
    }

    /** The order's history, oldest first, as the JSON of {@code GET .../history}. */
    public ObjectNode list(String tenantId, String orderId) {
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        body.put("customerOrderId", orderId);
        ArrayNode entries = body.putArray("entries");
        jdbc.query(
                "SELECT * FROM order_history WHERE tenant_id = :t AND customer_order_id = :o ORDER BY id",
                new MapSqlParameterSource("t", tenantId).addValue("o", orderId),
                rs -> {
                    ObjectNode e = entries.addObject();
                    e.put("at", Timestamps.rfc3339(rs.getTimestamp("at")));
                    e.put("kind", rs.getString("kind"));
                    putIfNotNull(e, "outcome", rs.getString("outcome"));
                    putIfNotNull(e, "eventId", rs.getString("event_id"));
                    if (rs.getObject("seq") != null) {
                        e.put("sequence", rs.getLong("seq"));
                    }
                    putIfNotNull(e, "origin", rs.getString("origin"));
                    putIfNotNull(e, "actor", rs.getString("actor"));
                    putIfNotNull(e, "correlationId", rs.getString("correlation_id"));
                    if (rs.getTimestamp("snapshot_time") != null) {
                        e.put("snapshotTime", Timestamps.rfc3339(rs.getTimestamp("snapshot_time")));
                    }
                    putIfNotNull(e, "detail", rs.getString("detail"));
                });
        return body;
    }

    /** True when the tenant has any history for the order (its history exists even if the order never got stored). */
    public boolean exists(String tenantId, String orderId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM order_history WHERE tenant_id = :t AND customer_order_id = :o)",
                new MapSqlParameterSource("t", tenantId).addValue("o", orderId),
                Boolean.class));
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
