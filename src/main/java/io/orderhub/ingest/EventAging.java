package io.orderhub.ingest;

import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * EVENT_AGING (outbound.md "Alerts"): an accepted event not applied within {@code hub.alerts.max-event-age}. The
 * incident is the oldest aging event of a tenant, so a stuck backlog alerts once, not once per event.
 */
@Component("eventAging")
@ConditionalOnProperty(name = "hub.bus", havingValue = "postgres", matchIfMissing = true)
public class EventAging {

    private final NamedParameterJdbcTemplate jdbc;
    private final Alerts alerts;
    private final HubProperties hub;

    public EventAging(NamedParameterJdbcTemplate jdbc, Alerts alerts, HubProperties hub) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.hub = hub;
    }

    /** Raises EVENT_AGING for each tenant whose oldest pending event is older than the limit. */
    public void check() {
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
}
