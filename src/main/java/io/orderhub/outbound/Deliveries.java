package io.orderhub.outbound;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;
import io.orderhub.storage.Timestamps;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The delivery journal (webhook_delivery): claiming due deliveries, recording attempts, listing, replaying. */
@Repository
public class Deliveries {

    /** A claimed delivery with what its envelope needs. */
    public record Job(
            long deliveryId,
            String tenantId,
            String webhookId,
            UUID eventId,
            String eventType,
            String customerOrderId,
            String businessUnitId,
            String origin,
            String correlationId,
            String payload,
            OffsetDateTime time,
            int attempts,
            java.time.LocalDate businessDay,
            // the subscription's updated_at when the delivery was claimed: tells whether a cached copy is current
            java.time.Instant subscriptionVersion) {}

    private final NamedParameterJdbcTemplate jdbc;

    public Deliveries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Leases up to {@code limit} due deliveries for this dispatcher. A delivery is due when it is pending, its next
     * attempt time has come, no dispatcher holds it, its subscription is enabled, and no earlier delivery of the same
     * order to the same subscription is still pending (per-order order; a FAILED one no longer holds later ones
     * back). Each subscription gets at most {@code perSubscription} leases at a time, counted over every instance,
     * so a slow subscriber holds few threads. The lease outlives one attempt; if this instance dies, another takes
     * the delivery when it expires.
     *
     * <p>The claim walks each subscription's own queue (index webhook_delivery_queue) and stops after its free lanes,
     * so it reads a few rows per subscription however long the backlog is; a subscription with no free lane (a dead
     * subscriber holding all of its lanes) costs one index probe.
     */
    public List<Job> claim(int limit, int perSubscription, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.query(
                """
                WITH lanes AS (
                    SELECT s.tenant_id, s.webhook_id, s.updated_at,
                           :perSub - (SELECT count(*) FROM webhook_delivery l
                                      WHERE l.tenant_id = s.tenant_id AND l.webhook_id = s.webhook_id
                                        AND l.status = 'PENDING' AND l.lease_until IS NOT NULL
                                        AND l.lease_until > now()) AS free
                    FROM webhook_subscription s
                    WHERE s.enabled
                ), picked AS (
                    SELECT c.delivery_id, s.updated_at
                    FROM lanes s
                    CROSS JOIN LATERAL (
                        SELECT d.delivery_id FROM webhook_delivery d
                        WHERE d.tenant_id = s.tenant_id AND d.webhook_id = s.webhook_id AND d.status = 'PENDING'
                          AND d.next_attempt_at <= now()
                          AND (d.lease_until IS NULL OR d.lease_until < now())
                          AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                                          WHERE e.tenant_id = d.tenant_id AND e.webhook_id = d.webhook_id
                                            AND e.order_key = d.order_key AND e.status = 'PENDING'
                                            AND e.delivery_id < d.delivery_id)
                        ORDER BY d.delivery_id
                        LIMIT GREATEST(s.free, 0)
                    ) c
                    ORDER BY c.delivery_id
                    LIMIT :limit
                ), taken AS (
                    UPDATE webhook_delivery d SET lease_until = now() + make_interval(secs => :lease)
                    FROM picked p
                    WHERE d.delivery_id = p.delivery_id AND d.status = 'PENDING'
                      AND (d.lease_until IS NULL OR d.lease_until < now())
                    RETURNING d.*, p.updated_at AS subscription_updated_at
                )
                SELECT l.delivery_id, l.tenant_id, l.webhook_id, l.event_id, l.event_type, l.customer_order_id,
                       l.attempts, o.business_unit_id, o.origin, o.correlation_id, o.payload, o.created_at,
                       o.business_day, l.subscription_updated_at
                FROM taken l JOIN outbox_event o ON o.event_id = l.event_id
                ORDER BY l.delivery_id
                """,
                new MapSqlParameterSource("limit", limit)
                        .addValue("perSub", perSubscription)
                        .addValue("lease", lease.toMillis() / 1000.0),
                (rs, n) -> new Job(
                        rs.getLong("delivery_id"),
                        rs.getString("tenant_id"),
                        rs.getString("webhook_id"),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"),
                        rs.getString("customer_order_id"),
                        rs.getString("business_unit_id"),
                        rs.getString("origin"),
                        rs.getString("correlation_id"),
                        rs.getString("payload"),
                        Timestamps.utc(rs.getTimestamp("created_at")),
                        rs.getInt("attempts"),
                        rs.getObject("business_day", java.time.LocalDate.class),
                        rs.getTimestamp("subscription_updated_at").toInstant()));
    }

    /** A successful attempt, recorded later with others ({@link #deliveredAll}). */
    public record Success(long deliveryId, int statusCode, java.time.Instant at) {}

    /**
     * Records successful attempts in one statement: each becomes DELIVERED at the time its answer came, its lease
     * ends, and its subscription is marked healthy (last_success_at). Until then the lease keeps every other
     * dispatcher off the delivery.
     */
    public void deliveredAll(List<Success> done) {
        if (done.isEmpty()) {
            return;
        }
        Long[] ids = new Long[done.size()];
        Integer[] codes = new Integer[done.size()];
        Long[] micros = new Long[done.size()];
        for (int i = 0; i < done.size(); i++) {
            Success d = done.get(i);
            ids[i] = d.deliveryId();
            codes[i] = d.statusCode();
            micros[i] = d.at().getEpochSecond() * 1_000_000L + d.at().getNano() / 1_000;
        }
        jdbc.getJdbcTemplate()
                .update(
                        """
                WITH done AS (
                    UPDATE webhook_delivery d SET status = 'DELIVERED', attempts = d.attempts + 1,
                        last_status_code = a.code, last_error = NULL, last_attempt_at = a.at, delivered_at = a.at,
                        lease_until = NULL
                    FROM (SELECT id, code, to_timestamp(us / 1000000.0) AS at
                          FROM unnest(?::bigint[], ?::int[], ?::bigint[]) AS x(id, code, us)) a
                    WHERE d.delivery_id = a.id AND d.status = 'PENDING'
                    RETURNING d.tenant_id, d.webhook_id
                )
                UPDATE webhook_subscription s SET last_success_at = now()
                FROM (SELECT DISTINCT tenant_id, webhook_id FROM done) x
                WHERE s.tenant_id = x.tenant_id AND s.webhook_id = x.webhook_id
                """,
                        ps -> {
                            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                            ps.setArray(2, ps.getConnection().createArrayOf("integer", codes));
                            ps.setArray(3, ps.getConnection().createArrayOf("bigint", micros));
                        });
    }

    /** Another attempt after {@code wait}. */
    public void retryLater(long deliveryId, Integer statusCode, String error, Duration wait) {
        jdbc.update(
                """
                UPDATE webhook_delivery SET attempts = attempts + 1, last_status_code = :code, last_error = :error,
                    last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => :wait), lease_until = NULL
                WHERE delivery_id = :id
                """,
                new MapSqlParameterSource("id", deliveryId)
                        .addValue("code", statusCode)
                        .addValue("error", error)
                        .addValue("wait", wait.toMillis() / 1000.0));
    }

    public void failed(long deliveryId, Integer statusCode, String error) {
        jdbc.update(
                """
                UPDATE webhook_delivery SET status = 'FAILED', attempts = attempts + 1, last_status_code = :code,
                    last_error = :error, last_attempt_at = now(), lease_until = NULL
                WHERE delivery_id = :id
                """,
                new MapSqlParameterSource("id", deliveryId)
                        .addValue("code", statusCode)
                        .addValue("error", error));
    }

    /** The journal of a subscription, newest first, optionally of one status. */
    public ObjectNode list(String tenantId, String webhookId, String status, int skip, int take) {
        MapSqlParameterSource p = new MapSqlParameterSource("t", tenantId)
                .addValue("w", webhookId)
                .addValue("status", status)
                .addValue("skip", skip)
                .addValue("take", take);
        String where = "tenant_id = :t AND webhook_id = :w AND (CAST(:status AS text) IS NULL OR status = :status)";
        long total = jdbc.queryForObject("SELECT count(*) FROM webhook_delivery WHERE " + where, p, Long.class);
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("deliveries");
        jdbc.query(
                "SELECT * FROM webhook_delivery WHERE " + where + " ORDER BY delivery_id DESC OFFSET :skip LIMIT :take",
                p,
                rs -> {
                    ObjectNode d = list.addObject();
                    d.put("deliveryId", Long.toString(rs.getLong("delivery_id")));
                    d.put("eventId", rs.getString("event_id"));
                    d.put("eventType", rs.getString("event_type"));
                    d.put("customerOrderId", rs.getString("customer_order_id"));
                    d.put("status", rs.getString("status"));
                    d.put("attempts", rs.getInt("attempts"));
                    if (rs.getObject("last_status_code") == null) {
                        d.putNull("lastStatusCode");
                    } else {
                        d.put("lastStatusCode", rs.getInt("last_status_code"));
                    }
                    d.put("lastError", rs.getString("last_error"));
                    d.put("createdAt", Timestamps.rfc3339(rs.getTimestamp("created_at")));
                    d.put("lastAttemptAt", Timestamps.rfc3339(rs.getTimestamp("last_attempt_at")));
                    d.put("deliveredAt", Timestamps.rfc3339(rs.getTimestamp("delivered_at")));
                    d.put("nextAttemptAt", Timestamps.rfc3339(rs.getTimestamp("next_attempt_at")));
                });
        body.putObject("page")
                .put("skip", skip)
                .put("take", take)
                .put("total", total)
                .put("hasMore", skip + list.size() < total);
        return body;
    }

    /** A delivery's status and ordering key, to decide about a replay. */
    public record Entry(long deliveryId, String status, String eventType, String orderKey) {}

    public Optional<Entry> find(String tenantId, String webhookId, long deliveryId) {
        return jdbc
                .query(
                        "SELECT delivery_id, status, event_type, order_key FROM webhook_delivery "
                                + "WHERE tenant_id = :t AND webhook_id = :w AND delivery_id = :id",
                        new MapSqlParameterSource("t", tenantId)
                                .addValue("w", webhookId)
                                .addValue("id", deliveryId),
                        (rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .stream()
                .findFirst();
    }

    /** True when a newer update of the same order was delivered to this subscription since. */
    public boolean superseded(String tenantId, String webhookId, Entry e) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                """
                SELECT EXISTS (SELECT 1 FROM webhook_delivery
                               WHERE tenant_id = :t AND webhook_id = :w AND order_key = :k AND event_type = :type
                                 AND delivery_id > :id AND status = 'DELIVERED')
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("w", webhookId)
                        .addValue("k", e.orderKey())
                        .addValue("type", e.eventType())
                        .addValue("id", e.deliveryId()),
                Boolean.class));
    }

    /** Puts a delivery back to PENDING, due now, its attempts counted afresh; the event id stays. */
    public void replay(long deliveryId) {
        jdbc.update(
                """
                UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = now(), lease_until = NULL,
                    delivered_at = NULL
                WHERE delivery_id = :id
                """,
                new MapSqlParameterSource("id", deliveryId));
    }

    /** Deliveries of a status (since a time), oldest first, for a bulk replay. */
    public List<Entry> matching(String tenantId, String webhookId, String status, OffsetDateTime since) {
        return jdbc.query(
                """
                SELECT delivery_id, status, event_type, order_key FROM webhook_delivery
                WHERE tenant_id = :t AND webhook_id = :w AND status = :status
                  AND (CAST(:since AS timestamptz) IS NULL OR created_at >= :since)
                ORDER BY delivery_id
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("w", webhookId)
                        .addValue("status", status)
                        .addValue("since", since),
                (rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }
}
