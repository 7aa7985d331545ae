package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.storage.EmbeddedPostgresServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances on one PostgreSQL, each accepting and consuming: successive snapshots of an order arrive through
 * alternating instances, and still every order applies its events in sequence, each exactly once, none stale.
 */
class TwoInstancesIT {

    @Test
    void perOrderOrderAndExactlyOnceHoldAcrossTwoInstances() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "two-instances-");
        try (EmbeddedPostgresServer db = EmbeddedPostgresServer.start(data.resolve("pg"))) {
            List<String> dbArgs = List.of(
                    "--hub.db.url=" + db.jdbcUrl(), "--hub.db.user=" + db.user(), "--hub.db.password=" + db.password());
            try (HubProcess one = HubProcess.of("instance-one", dbArgs);
                    HubProcess two = HubProcess.of("instance-two", dbArgs)) {
                one.start();
                two.start();
                Hub first = one.client();
                String key = first.newTenantKey(Hub.uniqueTenant("two"), "[\"oms\", \"admin\"]", null);
                LoadUnderTest load = new LoadUnderTest(List.of(first, two.client()), key, 40, 8);
                Hub.await(
                        Duration.ofSeconds(90),
                        "events through both instances",
                        () -> load.acceptedEvents.size() >= 600);
                load.stop();
                assertThat(load.statuses).as("every PUT accepted").allMatch(s -> s == 202);

                Recovery.assertEveryAcceptedEventAppliedExactlyOnce(first, key, load);
                for (int o = 0; o < load.orders; o++) {
                    String id = load.orderId(o);
                    JsonNode entries = first.send(
                                    "GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null)
                            .json()
                            .get("entries");
                    long lastSeq = 0;
                    for (JsonNode e : entries) {
                        assertThat(e.get("outcome").asText())
                                .as("order %s: each later snapshot applied, none stale: %s", id, entries)
                                .isEqualTo("APPLIED");
                        assertThat(e.get("sequence").asLong())
                                .as("order %s in sequence", id)
                                .isGreaterThan(lastSeq);
                        lastSeq = e.get("sequence").asLong();
                    }
                }
            }
        }
    }
}
