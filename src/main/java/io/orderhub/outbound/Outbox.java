package io.orderhub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The transactional outbox (outbound.md "What is published"): an event is written to {@code outbox_event}, and one
 * delivery per matching subscription to the journal {@code webhook_delivery}, in the transaction of the change that
 * caused it, so a change is never published without being stored nor stored without being published. Order updates
 * are never written for UNCHANGED, duplicate or stale events (their callers only call this for a change).
 */
@Component
public class Outbox {

    public static final String ORDER_UPDATE = "cor.customer-order-updates.v2";
    public static final String TRANSACTIONS = "txr.transactions.v1";
    public static final String PING = "exe.events.v1";

    private final NamedParameterJdbcTemplate jdbc;

    public Outbox(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Publishes the order as it is after the change; {@code document} is the full {@code {"customerOrder": ...}} text
     * and {@code origin} OMS, STORE or HUB (the true state sent back after a refused snapshot); {@code order} is that
     * document's {@code customerOrder}, which every caller holds parsed already. Returns the event id.
     */
    public UUID published(
            String tenantId,
            String customerOrderId,
            String placedAt,
            String origin,
            String correlationId,
            String document,
            JsonNode order) {
        // visible to the placing store and to every fulfilling store: what a businessUnits filter matches
        Set<String> businessUnits = new LinkedHashSet<>();
        businessUnits.add(placedAt);
        for (JsonNode f : order.path("fulfillments")) {
            if (f.path("fulfillmentBusinessUnitId").isTextual()) {
                businessUnits.add(f.path("fulfillmentBusinessUnitId").asText());
            }
        }
        return write(
                tenantId,
                ORDER_UPDATE,
                customerOrderId,
                placedAt,
                businessUnits,
                origin,
                correlationId,
                document,
                null,
                null);
    }

    /**
     * Publishes a POSLog ({@code txr.transactions.v1}); {@code deflatedBase64} is the base64 of the zlib-deflated XML,
     * sent as the envelope's data as it is.
     */
    public UUID posLog(
            String tenantId,
            String customerOrderId,
            String businessUnitId,
            Set<String> businessUnits,
            String origin,
            String correlationId,
            String deflatedBase64,
            java.time.LocalDate businessDay) {
        return write(
                tenantId,
                TRANSACTIONS,
                customerOrderId,
                businessUnitId,
                businessUnits,
                origin,
                correlationId,
                deflatedBase64,
                businessDay,
                null);
    }

    /** A test event ({@code exe.events.v1}) for one subscription only. */
    public UUID ping(String tenantId, String webhookId, String correlationId) {
        return write(
                tenantId, PING, null, null, Set.of(), "HUB", correlationId, "{\"message\":\"ping\"}", null, webhookId);
    }

    /**
     * Writes the event and, in the same statement, one delivery per subscription that wants it (every subscription
     * when {@code onlyWebhook} is null, else just that one): its event types, its origins when set, its business units
     * when set. Disabled subscriptions get theirs too: they are delivered, in order, once it is enabled again. One
     * statement rather than two: it is one round trip less on every applied change.
     */
    private UUID write(
            String tenantId,
            String type,
            String customerOrderId,
            String placedAt,
            Set<String> businessUnits,
            String origin,
            String correlationId,
            String payload,
            java.time.LocalDate businessDay,
            String onlyWebhook) {
        UUID eventId = UUID.randomUUID();
        jdbc.update(
                """
                WITH event AS (
                    INSERT INTO outbox_event (event_id, tenant_id, event_type, customer_order_id, business_unit_id,
                        business_units, origin, correlation_id, payload, business_day)
                    VALUES (:id, :t, :type, :o, :bu, :bus, :origin, :cid, :payload, :day)
                    RETURNING event_id
                )
                INSERT INTO webhook_delivery (tenant_id, webhook_id, event_id, event_type, order_key, customer_order_id)
                SELECT s.tenant_id, s.webhook_id, e.event_id, :type, :orderKey, :o
                FROM event e
                JOIN webhook_subscription s ON s.tenant_id = :t
                WHERE (CAST(:only AS text) IS NULL OR s.webhook_id = :only)
                  AND (CAST(:only AS text) IS NOT NULL OR :type = ANY (s.event_types))
                  AND (CAST(:only AS text) IS NOT NULL OR s.origins IS NULL OR :origin = ANY (s.origins))
                  AND (s.business_units IS NULL OR CAST(:only AS text) IS NOT NULL OR s.business_units && CAST(:bus AS text[]))
                """,
                new MapSqlParameterSource("id", eventId)
                        .addValue("t", tenantId)
                        .addValue("type", type)
                        .addValue("o", customerOrderId)
                        .addValue("bu", placedAt)
                        .addValue("bus", businessUnits.toArray(String[]::new))
                        .addValue("origin", origin)
                        .addValue("cid", correlationId)
                        .addValue("payload", payload)
                        .addValue("day", businessDay)
                        .addValue("orderKey", customerOrderId != null ? "order:" + customerOrderId : "event:" + eventId)
                        .addValue("only", onlyWebhook));
        return eventId;
    }
}
