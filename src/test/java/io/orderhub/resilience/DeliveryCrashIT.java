package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.OrderDocs;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hub is killed with SIGKILL while webhook deliveries are pending and being retried; after a restart every one is
 * delivered (at least once, with its event id), none lost.
 */
class DeliveryCrashIT {

    private static final int ORDERS = 30;

    @Test
    void deliveriesPendingWhenTheHubIsKilledAreDeliveredAfterTheRestart() throws Exception {
        // a subscriber that is down (503) until the test says otherwise, recording what it acknowledged
        AtomicBoolean up = new AtomicBoolean(false);
        AtomicInteger attempts = new AtomicInteger();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/orders", exchange -> {
            try (exchange) {
                attempts.incrementAndGet();
                JsonNode envelope = Hub.JSON.readTree(exchange.getRequestBody());
                if (up.get()) {
                    acknowledged.add(envelope.path("id").asText());
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    exchange.sendResponseHeaders(503, -1);
                }
            }
        });
        receiver.start();
        Path data = Files.createTempDirectory(Path.of("target"), "delivery-crash-");
        List<String> args = List.of(
                "--hub.data-dir=" + data,
                "--hub.webhooks.allow-http=true",
                "--hub.webhooks.private-target-allow-list=127.0.0.1/32",
                "--hub.webhooks.timeout=1s",
                "--hub.webhooks.tick-millis=50",
                // retried for long enough that they are still pending when the hub dies
                "--hub.webhooks.retry-schedule=1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s");
        try (HubProcess process = HubProcess.of("delivery-crash", args)) {
            process.start();
            Hub hub = process.client();
            String tenant = Hub.uniqueTenant("delivery-crash");
            String admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
            String oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
            Hub.Answer sub = hub.send(
                    "PUT",
                    "/api/v1/webhooks/erp",
                    admin,
                    "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort()
                            + "/orders\", \"eventTypes\": [\"cor.customer-order-updates.v2\"]}");
            assertThat(sub.status()).as("%s", sub).isEqualTo(201);
            for (int i = 0; i < ORDERS; i++) {
                String id = "CRASH-" + i;
                assertThat(hub.send(
                                        "PUT",
                                        "/api/v1/business-units/S1/customer-orders/" + id,
                                        oms,
                                        OrderDocs.put(id, "S1"))
                                .status())
                        .isEqualTo(202);
            }
            Hub.await(Duration.ofSeconds(60), "deliveries being attempted", () -> attempts.get() >= 20);
            process.kill();

            up.set(true);
            process.start();
            Hub.await(Duration.ofSeconds(120), "every order's update journaled and delivered", () -> {
                JsonNode journal = hub.send("GET", "/api/v1/webhooks/erp/deliveries?take=200", admin, null)
                        .json();
                return journal.path("page").path("total").asInt() == ORDERS
                        && journal.path("deliveries").findValuesAsText("status").stream()
                                .allMatch("DELIVERED"::equals);
            });
            JsonNode journal = hub.send("GET", "/api/v1/webhooks/erp/deliveries?take=200", admin, null)
                    .json();
            Set<String> journaled = new HashSet<>(journal.path("deliveries").findValuesAsText("eventId"));
            Set<String> orders = new HashSet<>(journal.path("deliveries").findValuesAsText("customerOrderId"));
            assertThat(orders).as("one update per order, none lost").hasSize(ORDERS);
            assertThat(acknowledged)
                    .as("the subscriber acknowledged every journaled event id")
                    .containsAll(journaled);
        } finally {
            receiver.stop(0);
        }
    }
}
