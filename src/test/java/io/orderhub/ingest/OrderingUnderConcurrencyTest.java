package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.PubSubBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many clients interleave updates of hundreds of orders; each order's updates are sent one after another (not
 * overlapping), by whichever client is free. Afterwards every order equals its last accepted snapshot and no
 * history shows an older snapshot applied after a newer one.
 */
@HubTest
class OrderingUnderConcurrencyTest {

    private static final int ORDERS = 200;
    private static final int VERSIONS = 5;
    private static final int CLIENTS = 16;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void everyOrderEndsAtItsLastSnapshotWithoutRegression() throws Exception {
        Hub hub = new Hub(port);
        String tenant = Hub.uniqueTenant("ordering");
        String key = hub.newTenantKey(tenant, "[\"oms\"]", null);
        String run = Hub.uniqueId("R");

        // a task is (order, version); version v+1 is queued only when v got its 202, so one order's PUTs never overlap
        LinkedBlockingQueue<int[]> tasks = new LinkedBlockingQueue<>();
        List<Integer> start = new ArrayList<>();
        for (int o = 0; o < ORDERS; o++) {
            start.add(o);
        }
        Collections.shuffle(start);
        start.forEach(o -> tasks.add(new int[] {o, 1}));
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                while (done.get() < ORDERS * VERSIONS && failures.isEmpty()) {
                    int[] task = tasks.poll(100, TimeUnit.MILLISECONDS);
                    if (task == null) {
                        continue;
                    }
                    String id = run + "-" + task[0];
                    String doc = OrderDocs.order(
                                    id,
                                    "S1",
                                    task[1] == VERSIONS ? "IN_PROGRESS" : "CREATED",
                                    String.format("2026-03-01T10:%02d:00Z", task[1]),
                                    "v" + task[1])
                            .toString();
                    Hub.Answer a =
                            hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, key, doc, Map.of());
                    if (a.status() != 202) {
                        failures.add(id + " v" + task[1] + ": " + a);
                        continue;
                    }
                    done.incrementAndGet();
                    if (task[1] < VERSIONS) {
                        tasks.add(new int[] {task[0], task[1] + 1});
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(3, TimeUnit.MINUTES))
                .as("clients finished")
                .isTrue();
        assertThat(failures).as("every PUT accepted").isEmpty();
        assertThat(done.get()).isEqualTo(ORDERS * VERSIONS);

        // drained when every accepted event has its outcome in its order's history (on either bus)
        Hub.await(
                Duration.ofMinutes(2),
                "every event of " + tenant + " applied",
                () -> db.queryForObject(
                                "SELECT count(*) FROM order_history WHERE tenant_id = ? AND outcome <> 'SKIPPED_DUPLICATE'",
                                Long.class,
                                tenant)
                        == (long) ORDERS * VERSIONS);

        for (int o = 0; o < ORDERS; o++) {
            String id = run + "-" + o;
            Hub.Answer a = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, key, null);
            assertThat(a.status()).as("GET %s: %s", id, a).isEqualTo(200);
            assertThat(a.json().path("customerOrder").path("cartName").asText())
                    .as("order %s ends at its last snapshot", id)
                    .isEqualTo("v" + VERSIONS);

            JsonNode history = hub.send(
                            "GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null)
                    .json()
                    .get("entries");
            long lastSeq = 0;
            List<String> outcomes = new ArrayList<>();
            for (JsonNode e : history) {
                if (PubSubBus.chosen()
                        && "SKIPPED_DUPLICATE".equals(e.get("outcome").asText())) {
                    // Pub/Sub delivers at least once: a redelivery after a lost ack is recorded and skipped. The
                    // PostgreSQL bus takes an event off in its outcome's transaction, so there it would be a defect.
                    continue;
                }
                outcomes.add(e.get("outcome").asText());
                long seq = e.get("sequence").asLong();
                assertThat(seq)
                        .as("order %s applies events in sequence: %s", id, history)
                        .isGreaterThan(lastSeq);
                lastSeq = seq;
            }
            assertThat(outcomes)
                    .as("order %s: every snapshot applied, none stale or lost", id)
                    .containsExactly("APPLIED", "APPLIED", "APPLIED", "APPLIED", "APPLIED");
        }
    }
}
