package io.orderhub.ingest;

import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * EVENT_AGING (outbound.md "Alerts"): an accepted event not applied within {@code hub.alerts.max-event-age}. The
 * incident is the oldest aging event of a tenant, so a stuck backlog alerts once, not once per event. On the Pub/Sub
 * bus, the events looked at are those this instance holds (delivered to it, not yet settled), aged from their publish
 * time; messages Pub/Sub has not delivered to anyone are the subscription's backlog, watched by Cloud Monitoring.
 */
@Component("eventAging")
public class EventAging {

    private final NamedParameterJdbcTemplate jdbc;
    private final Alerts alerts;
    private final HubProperties hub;

    private final PubSubEvents pubSub;

    public EventAging(NamedParameterJdbcTemplate jdbc, Alerts alerts, HubProperties hub, PubSubEvents pubSub) {
        this.jdbc = jdbc;
        this.pubSub = pubSub;
        this.alerts = alerts;
        this.hub = hub;
    }

    /** Raises EVENT_AGING for each tenant whose oldest pending event is older than {@code hub.alerts.max-event-age}. */
    public void check() {
        checkOlderThan(hub.alerts().maxEventAge());
    }

    /**
     * Raises EVENT_AGING for each tenant whose oldest pending event is older than {@code limit}. (Not an overload of
     * {@link #check()}: the route calls that by name, and Camel would pick the method with a parameter.)
     */
    public void checkOlderThan(Duration limit) {
        if ("pubsub".equals(hub.bus())) {
            Set<String> alerted = new HashSet<>();
            for (PubSubEvents.Held h : pubSub.heldLongerThan(limit)) {
                OrderEvent e = h.event();
                if (alerted.add(e.tenantId())) {
                    raise(
                            e.eventId().toString(),
                            e.tenantId(),
                            e.customerOrderId(),
                            e.correlationId(),
                            e.attempts(),
                            Duration.between(h.publishedAt(), Instant.now()).toSeconds(),
                            limit);
                }
            }
            return;
        }
        jdbc.query(
                """
                SELECT DISTINCT ON (tenant_id) tenant_id, event_id, customer_order_id, correlation_id, attempts,
                       extract(epoch FROM now() - received_at)::bigint AS age
                FROM bus_event
                WHERE received_at < now() - make_interval(secs => :maxAge)
                ORDER BY tenant_id, received_at
                """,
                new MapSqlParameterSource("maxAge", limit.toSeconds()),
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> raise(
                        rs.getString("event_id"),
                        rs.getString("tenant_id"),
                        rs.getString("customer_order_id"),
                        rs.getString("correlation_id"),
                        rs.getInt("attempts"),
                        rs.getLong("age"),
                        limit));
    }

    private void raise(
            String eventId,
            String tenantId,
            String customerOrderId,
            String correlationId,
            int attempts,
            long ageSeconds,
            Duration limit) {
        alerts.raise(new Alerts.Alert(
                "EVENT_AGING",
                eventId,
                "warning",
                tenantId,
                customerOrderId,
                "event " + eventId + " accepted " + ageSeconds + " s ago is not applied yet (limit " + limit.toSeconds()
                        + " s)",
                correlationId,
                Map.of("eventId", eventId, "ageSeconds", ageSeconds, "attempts", attempts)));
    }
}
