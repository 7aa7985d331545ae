package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes order changes (outbound.md "What is published"): each change of a stored order is written to the outbox
 * as a {@code cor.customer-order-updates.v2} event, in the transaction that made the change. Never called for
 * UNCHANGED, duplicate or stale events.
 */
@Component
public class OrderChanges {

    public static final String ORDER_UPDATE = "cor.customer-order-updates.v2";

    private final NamedParameterJdbcTemplate jdbc;

    public OrderChanges(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes the order as it is after the change; {@code document} is the full {@code {"customerOrder": ...}} text and
     * {@code origin} OMS, STORE or HUB (the true state sent back after a refused snapshot). Returns the event id.
     */
    public UUID published(
            String tenantId,
            String customerOrderId,
            String placedAt,
            String origin,
            String correlationId,
            String document) {
        UUID eventId = UUID.randomUUID();
        JsonNode order = OrderJson.parse(document).path("customerOrder");
        Set<String> businessUnits = new LinkedHashSet<>();
        businessUnits.add(placedAt);
        for (JsonNode f : order.path("fulfillments")) {
            if (f.path("fulfillmentBusinessUnitId").isTextual()) {
                businessUnits.add(f.path("fulfillmentBusinessUnitId").asText());
            }
        }
        jdbc.update(
                """
                INSERT INTO outbox_event (event_id, tenant_id, event_type, customer_order_id, business_unit_id,
                    business_units, origin, correlation_id, payload)
                VALUES (:id, :t, :type, :o, :bu, :bus, :origin, :cid, :payload)
                """,
                new MapSqlParameterSource("id", eventId)
                        .addValue("t", tenantId)
                        .addValue("type", ORDER_UPDATE)
                        .addValue("o", customerOrderId)
                        .addValue("bu", placedAt)
                        .addValue("bus", businessUnits.toArray(String[]::new))
                        .addValue("origin", origin)
                        .addValue("cid", correlationId)
                        .addValue("payload", document));
        return eventId;
    }
}
