package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.AlertReceiver;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** EVENT_AGING: an accepted event not applied within hub.alerts.max-event-age alerts once, with ids only. */
@HubTest
class EventAgingAlertTest {

    @Autowired
    JdbcTemplate db;

    @Autowired
    EventAging eventAging;

    @Test
    void eventWaitingLongerThanTheLimitAlertsOnce() {
        String tenant = Hub.uniqueTenant("aging");
        String orderId = Hub.uniqueId("AGED");
        UUID eventId = UUID.randomUUID();
        // an event accepted 10 minutes ago whose order is held back (its next attempt is far away): it ages
        db.update(
                """
                INSERT INTO bus_event (seq, event_id, tenant_id, customer_order_id, business_unit_id, origin, snapshot_time,
                    payload, correlation_id, received_at, next_attempt_at)
                VALUES (nextval('event_seq'), ?, ?, ?, 'S1', 'OMS', now(), ?, 'corr-aging', now() - interval '10 minutes',
                    now() + interval '1 hour')
                """,
                eventId,
                tenant,
                orderId,
                OrderDocs.put(orderId, "S1"));
        try {
            Hub.await(Duration.ofSeconds(20), "EVENT_AGING alert for " + eventId, () -> !aging(eventId)
                    .isEmpty());
            JsonNode alert = aging(eventId).get(0);
            assertThat(alert.get("tenantId").asText()).isEqualTo(tenant);
            assertThat(alert.get("customerOrderId").asText()).isEqualTo(orderId);
            assertThat(alert.get("correlationId").asText()).isEqualTo("corr-aging");
            assertThat(alert.get("severity").asText()).isEqualTo("warning");
            assertThat(alert.toString()).doesNotContain("Alex Example");
            // the check runs again and again while the event waits: the incident still has one alert
            for (int i = 0; i < 3; i++) {
                eventAging.check();
            }
            assertThat(db.queryForObject(
                            "SELECT count(*) FROM alert WHERE incident_key = ?", Long.class, eventId.toString()))
                    .isEqualTo(1);
            assertThat(aging(eventId)).as("one alert per incident").hasSize(1);
        } finally {
            db.update("DELETE FROM bus_event WHERE event_id = ?", eventId);
        }
    }

    private static List<JsonNode> aging(UUID eventId) {
        return AlertReceiver.received().stream()
                .filter(a -> "EVENT_AGING".equals(a.path("kind").asText()))
                .filter(a -> eventId.toString()
                        .equals(a.path("details").path("eventId").asText()))
                .toList();
    }
}
