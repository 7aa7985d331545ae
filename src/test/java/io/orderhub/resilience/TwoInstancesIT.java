package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.orderhub.storage.EmbeddedPostgresServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.PubSubEmulator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances on one PostgreSQL, each accepting and consuming, on either bus: successive snapshots of an order arrive through
 * alternating instances, and still every order applies its events in sequence, each exactly once, none stale.
 */
class TwoInstancesIT {

    @Test
    void perOrderOrderAndExactlyOnceHoldAcrossTwoInstances() throws Exception {
        twoInstances("instance", List.of(), false);
    }

    @Test
    void perOrderOrderAndExactlyOnceHoldAcrossTwoInstancesOnThePubSubBus() throws Exception {
        // both instances publish to one topic and consume one subscription, on the official emulator
        twoInstances(
                "pubsub-instance",
                List.of(
                        "--hub.bus=pubsub",
                        "--hub.pubsub.endpoint=" + PubSubEmulator.require().endpoint(),
                        "--hub.pubsub.project=" + Hub.uniqueTenant("two")),
                true);
    }

    private static void twoInstances(String name, List<String> busArgs, boolean atLeastOnceBus) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "two-instances-");
        try (EmbeddedPostgresServer db = EmbeddedPostgresServer.start(data.resolve("pg"))) {
            List<String> dbArgs = new java.util.ArrayList<>(List.of(
                    "--hub.db.url=" + db.jdbcUrl(),
                    "--hub.db.user=" + db.user(),
                    "--hub.db.password=" + db.password()));
            dbArgs.addAll(busArgs);
            try (HubProcess one = HubProcess.of(name + "-one", dbArgs);
                    HubProcess two = HubProcess.of(name + "-two", dbArgs)) {
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

                Recovery.assertEveryAcceptedEventAppliedExactlyOnce(first, key, load, atLeastOnceBus);
                for (int o = 0; o < load.orders; o++) {
                    String id = load.orderId(o);
                    JsonNode entries = first.send(
                                    "GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null)
                            .json()
                            .get("entries");
                    long lastSeq = 0;
                    for (JsonNode e : entries) {
                        if (atLeastOnceBus
                                && "SKIPPED_DUPLICATE".equals(e.get("outcome").asText())) {
                            continue;
                        }
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

    @Test
    void twoInstancesNeverPollOneTenantAtOnce() throws Exception {
        // an OMS that takes its time over each page and counts how many polls of the tenant are in flight
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        HttpServer oms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        oms.setExecutor(Executors.newFixedThreadPool(8));
        oms.createContext("/oms/customer-orders", exchange -> {
            int now = inFlight.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            polls.incrementAndGet();
            try {
                Thread.sleep(300);
                byte[] body = "{\"customerOrders\": [], \"cursor\": \"c\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        oms.start();
        Path data = Files.createTempDirectory(Path.of("target"), "two-pollers-");
        try (EmbeddedPostgresServer db = EmbeddedPostgresServer.start(data.resolve("pg"))) {
            List<String> args = List.of(
                    "--hub.db.url=" + db.jdbcUrl(),
                    "--hub.db.user=" + db.user(),
                    "--hub.db.password=" + db.password(),
                    "--hub.proxy.private-target-allow-list=127.0.0.1/32",
                    "--hub.polling.tick-millis=50");
            try (HubProcess one = HubProcess.of("poller-one", args);
                    HubProcess two = HubProcess.of("poller-two", args)) {
                one.start();
                two.start();
                Hub hub = one.client();
                String tenant = Hub.uniqueTenant("two-pollers");
                String admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
                assertThat(hub.send(
                                        "PUT",
                                        "/api/v1/proxy-config",
                                        admin,
                                        "{\"type\": \"basic\", \"config\": {\"username\": \"u\", \"password\": \"p\"}}")
                                .status())
                        .isEqualTo(204);
                // due every second, each poll takes 300 ms, both instances look for due tenants every 50 ms
                assertThat(hub.send(
                                        "PUT",
                                        "/admin/v1/tenants/" + tenant,
                                        Hub.ADMIN_TOKEN,
                                        "{\"mode\": \"polling\", \"proxyBaseUrl\": \"http://127.0.0.1:"
                                                + oms.getAddress().getPort()
                                                + "/oms\", \"polling\": {\"interval\": \"PT1S\"}}")
                                .status())
                        .isEqualTo(200);
                Hub.await(Duration.ofSeconds(60), "eight polls", () -> polls.get() >= 8);
                assertThat(mostAtOnce.get())
                        .as("polls of the tenant in flight at once")
                        .isEqualTo(1);
                String marker = "Poll of tenant " + tenant + ": OK";
                long recorded = one.log().split(java.util.regex.Pattern.quote(marker), -1).length
                        - 1
                        + two.log().split(java.util.regex.Pattern.quote(marker), -1).length
                        - 1;
                assertThat(recorded)
                        .as("each completed poll recorded by the one instance that made it")
                        .isBetween((long) polls.get() - 1, (long) polls.get());
            }
        } finally {
            oms.stop(0);
        }
    }
}
