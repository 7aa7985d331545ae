package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.Hub;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What must hold after a crash or an outage: every event that got a 202 is applied exactly once in effect. */
final class Recovery {

    private Recovery() {}

    static void assertEveryAcceptedEventAppliedExactlyOnce(Hub hub, String key, LoadUnderTest load) {
        assertEveryAcceptedEventAppliedExactlyOnce(hub, key, load, false);
    }

    /**
     * {@code atLeastOnceBus}: the bus may deliver an applied event again (Pub/Sub after a lost ack, e.g. when the
     * instance holding it was killed); such a redelivery must be recorded SKIPPED_DUPLICATE, never applied again. The
     * PostgreSQL bus takes an event off in its outcome's transaction, so there any second entry is a defect.
     */
    static void assertEveryAcceptedEventAppliedExactlyOnce(
            Hub hub, String key, LoadUnderTest load, boolean atLeastOnceBus) {
        assertThat(load.acceptedEvents).as("the load got some 202s").isNotEmpty();
        Map<String, Integer> seen = new HashMap<>();
        for (int o = 0; o < load.orders; o++) {
            String id = load.orderId(o);
            Integer accepted = load.lastAccepted.get(id);
            if (accepted == null) {
                continue;
            }
            List<String> expectedIds = load.acceptedEvents.entrySet().stream()
                    .filter(e -> e.getValue().equals(id))
                    .map(Map.Entry::getKey)
                    .toList();
            JsonNode[] history = new JsonNode[1];
            Hub.await(Duration.ofSeconds(90), "every accepted event of " + id + " has an outcome", () -> {
                Hub.Answer h =
                        hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null);
                if (h.status() != 200) {
                    return false;
                }
                history[0] = h.json().get("entries");
                List<String> ids = history[0].findValuesAsText("eventId");
                return ids.containsAll(expectedIds);
            });
            for (JsonNode e : history[0]) {
                if (atLeastOnceBus
                        && "SKIPPED_DUPLICATE".equals(e.get("outcome").asText())) {
                    continue;
                }
                seen.merge(e.get("eventId").asText(), 1, Integer::sum);
                assertThat(e.get("outcome").asText())
                        .as("no event of %s dead-lettered: %s", id, e)
                        .isNotEqualTo("DEAD_LETTERED");
            }
            JsonNode order = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, key, null)
                    .json();
            int version = Integer.parseInt(
                    order.path("customerOrder").path("cartName").asText().substring(1));
            assertThat(version)
                    .as(
                            "order %s ends at its last accepted snapshot (v%s) or a later one sent without an answer (up to v%s)",
                            id, accepted, load.lastSent.get(id))
                    .isBetween(accepted, load.lastSent.get(id));
        }
        for (String eventId : load.acceptedEvents.keySet()) {
            assertThat(seen.get(eventId))
                    .as("accepted event %s has exactly one outcome", eventId)
                    .isEqualTo(1);
        }
    }
}
