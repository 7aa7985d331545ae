package io.orderhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;
import io.orderhub.storage.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The dead-letter store: events that failed for good, kept with payload, error, class, attempts and origin. */
@Component("deadLetterStore")
public class DeadLetters {

    private final NamedParameterJdbcTemplate jdbc;

    public DeadLetters(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a dead letter for the event; returns its id. */
    public UUID add(OrderEvent event, int attempts, String errorClass, String error) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO dead_letter (id, event_id, seq, tenant_id, customer_order_id, business_unit_id, origin,
                    snapshot_time, event_time_given, payload, correlation_id, received_at, attempts, error_class, error)
                VALUES (:id, :eventId, :seq, :t, :o, :bu, :origin, :snapshotTime, :given, :payload, :cid, :received,
                    :attempts, :class, :error)
                """,
                new MapSqlParameterSource()
                        .addValue("id", id)
                        .addValue("eventId", event.eventId())
                        .addValue("seq", event.seq() > 0 ? event.seq() : null)
                        .addValue("t", event.tenantId())
                        .addValue("o", event.customerOrderId())
                        .addValue("bu", event.businessUnitId())
                        .addValue("origin", event.origin())
                        .addValue("snapshotTime", event.snapshotTime())
                        .addValue("given", event.eventTimeGiven())
                        .addValue("payload", event.payload())
                        .addValue("cid", event.correlationId())
                        .addValue("received", event.receivedAt())
                        .addValue("attempts", attempts)
                        .addValue("class", errorClass)
                        .addValue("error", error));
        return id;
    }

    /** True when a dead letter (open or closed) of this event exists. */
    public boolean holdsEvent(UUID eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM dead_letter WHERE event_id = :e)",
                new MapSqlParameterSource("e", eventId),
                Boolean.class));
    }

    /** The event a dead letter holds, to replay it; empty when the tenant has no open dead letter of that id. */
    public Optional<OrderEvent> openEvent(String tenantId, UUID id) {
        return jdbc
                .query(
                        "SELECT * FROM dead_letter WHERE tenant_id = :t AND id = :id AND status = 'OPEN'",
                        new MapSqlParameterSource("t", tenantId).addValue("id", id),
                        // a dead letter keeps the event's columns under the same names as the bus
                        PostgresEventBus.EVENT_ROW)
                .stream()
                .findFirst();
    }

    public boolean exists(String tenantId, UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM dead_letter WHERE tenant_id = :t AND id = :id)",
                new MapSqlParameterSource("t", tenantId).addValue("id", id),
                Boolean.class));
    }

    /** Marks a dead letter resolved by a replay with that outcome; it is kept for audit. */
    public boolean resolve(UUID id, String outcome) {
        return jdbc.update(
                        "UPDATE dead_letter SET status = 'RESOLVED', resolved_outcome = :o, resolved_at = now() "
                                + "WHERE id = :id AND status = 'OPEN'",
                        new MapSqlParameterSource("id", id).addValue("o", outcome))
                == 1;
    }

    /** Records a failed replay: the dead letter stays open with one attempt more and the new error. */
    public void replayFailed(UUID id, String errorClass, String error) {
        jdbc.update(
                "UPDATE dead_letter SET attempts = attempts + 1, error_class = :c, error = :e WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("c", errorClass).addValue("e", error));
    }

    /** Discards an open dead letter; returns its order id, or empty when there is no such open dead letter. */
    public Optional<String> discard(String tenantId, UUID id) {
        return jdbc
                .query(
                        """
                        UPDATE dead_letter SET status = 'DISCARDED', resolved_at = now()
                        WHERE tenant_id = :t AND id = :id AND status = 'OPEN' RETURNING customer_order_id
                        """,
                        new MapSqlParameterSource("t", tenantId).addValue("id", id),
                        (rs, n) -> rs.getString(1))
                .stream()
                .findFirst();
    }

    /** A page of the tenant's dead letters, newest first, optionally of one order. */
    public ObjectNode list(String tenantId, String orderId, int skip, int take) {
        MapSqlParameterSource p = new MapSqlParameterSource("t", tenantId)
                .addValue("o", orderId)
                .addValue("skip", skip)
                .addValue("take", take);
        String where = "tenant_id = :t AND (CAST(:o AS text) IS NULL OR customer_order_id = :o)";
        long total = jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE " + where, p, Long.class);
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("deadLetters");
        jdbc.query(
                "SELECT * FROM dead_letter WHERE " + where
                        + " ORDER BY dead_lettered_at DESC, id LIMIT :take OFFSET :skip",
                p,
                rs -> {
                    items.add(summary(rs));
                });
        ObjectNode page = body.putObject("page");
        page.put("skip", skip).put("take", take).put("total", total).put("hasMore", skip + take < total);
        return body;
    }

    /** One dead letter with its original payload. */
    public Optional<ObjectNode> get(String tenantId, UUID id) {
        return jdbc
                .query(
                        "SELECT * FROM dead_letter WHERE tenant_id = :t AND id = :id",
                        new MapSqlParameterSource("t", tenantId).addValue("id", id),
                        (rs, n) -> {
                            ObjectNode node = summary(rs);
                            JsonNode payload = OrderJson.parse(rs.getString("payload"));
                            node.set("payload", payload);
                            return node;
                        })
                .stream()
                .findFirst();
    }

    private static ObjectNode summary(ResultSet rs) throws SQLException {
        ObjectNode n = OrderJson.MAPPER.createObjectNode();
        n.put("id", rs.getString("id"));
        n.put("eventId", rs.getString("event_id"));
        n.put("customerOrderId", rs.getString("customer_order_id"));
        n.put("businessUnitId", rs.getString("business_unit_id"));
        n.put("receivedAt", Timestamps.rfc3339(rs.getTimestamp("received_at")));
        n.put("deadLetteredAt", Timestamps.rfc3339(rs.getTimestamp("dead_lettered_at")));
        n.put("attempts", rs.getInt("attempts"));
        n.put("errorClass", rs.getString("error_class"));
        n.put("error", rs.getString("error"));
        n.put("correlationId", rs.getString("correlation_id"));
        n.put("origin", rs.getString("origin"));
        n.put("status", rs.getString("status"));
        if (rs.getString("resolved_outcome") != null) {
            n.put("resolvedOutcome", rs.getString("resolved_outcome"));
        }
        return n;
    }
}
