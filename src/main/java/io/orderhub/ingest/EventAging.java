package io.orderhub.ingest;

import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import java.util.Map;
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

    /** Raises EVENT_AGING for each tenant whose oldest pending event is older than the limit. */
    public void check() {
        if ("pubsub".equals(hub.bus())) {
            checkHeld();
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
                new MapSqlParameterSource("maxAge", hub.alerts().maxEventAge().toSeconds()),
                rs -> {
                    String eventId = rs.getString("event_id");
                    alerts.raise(new Alerts.Alert(
                            "EVENT_AGING",
                            eventId,
                            "warning",
                            rs.getString("tenant_id"),
                            rs.getString("customer_order_id"),
                            "event " + eventId + " accepted " + rs.getLong("age") + " s ago is not applied yet (limit "
                                    + hub.alerts().maxEventAge().toSeconds() + " s)",
                            rs.getString("correlation_id"),
                            Map.of(
                                    "eventId",
                                    eventId,
                                    "ageSeconds",
                                    rs.getLong("age"),
                                    "attempts",
                                    rs.getInt("attempts"))));
                });
    }

    private void checkHeld() {
        java.util.Set<String> alerted = new java.util.HashSet<>();
        for (PubSubEvents.Held h : pubSub.heldLongerThan(hub.alerts().maxEventAge())) {
            OrderEvent e = h.event();
            if (!alerted.add(e.tenantId())) {
                continue;
            }
            long age = java.time.Duration.between(h.publishedAt(), java.time.Instant.now())
                    .toSeconds();
            String eventId = e.eventId().toString();
            alerts.raise(new Alerts.Alert(
                    "EVENT_AGING",
                    eventId,
                    "warning",
                    e.tenantId(),
                    e.customerOrderId(),
                    "event " + eventId + " accepted " + age + " s ago is not applied yet (limit "
                            + hub.alerts().maxEventAge().toSeconds() + " s)",
                    e.correlationId(),
                    Map.of("eventId", eventId, "ageSeconds", age, "attempts", e.attempts())));
        }
    }
}
