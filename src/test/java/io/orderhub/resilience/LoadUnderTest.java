package io.orderhub.resilience;

import io.orderhub.support.Hub;
import io.orderhub.support.OrderDocs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients that keep PUTting new versions of a set of orders, one version after another per order, and remember what
 * the hub answered: the versions that got a 202 (with their event ids), and every status seen.
 */
final class LoadUnderTest {

    final String run = Hub.uniqueId("L");
    final int orders;
    /** order -> highest version that got a 202. */
    final Map<String, Integer> lastAccepted = new ConcurrentHashMap<>();
    /** order -> highest version sent (answered or not). */
    final Map<String, Integer> lastSent = new ConcurrentHashMap<>();
    /** event id -> order, of every 202. */
    final Map<String, String> acceptedEvents = new ConcurrentHashMap<>();

    final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;

    LoadUnderTest(Hub hub, String key, int orders, int clientCount) {
        this(java.util.List.of(hub), key, orders, clientCount);
    }

    /** Load spread over several hub instances: successive versions of one order go to different instances. */
    LoadUnderTest(java.util.List<Hub> hubs, String key, int orders, int clientCount) {
        this.orders = orders;
        this.clients = Executors.newFixedThreadPool(clientCount);
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            clients.submit(() -> {
                int version = 0;
                while (running.get()) {
                    version++;
                    for (int o = client; o < orders; o += clientCount) {
                        if (!running.get()) {
                            break;
                        }
                        String id = orderId(o);
                        lastSent.put(id, version);
                        // each version is a later snapshot than the one before
                        String changedAt = java.time.Instant.parse("2026-03-01T10:00:00Z")
                                .plusSeconds(version)
                                .toString();
                        String doc = OrderDocs.order(id, "S1", "CREATED", changedAt, "v" + version)
                                .toString();
                        try {
                            // successive versions of an order go through different instances
                            Hub hub = hubs.get(version % hubs.size());
                            Hub.Answer a = hub.send(
                                    "PUT", "/api/v1/business-units/S1/customer-orders/" + id, key, doc, Map.of());
                            statuses.add(a.status());
                            if (a.status() == 202) {
                                lastAccepted.put(id, version);
                                acceptedEvents.put(a.json().get("eventId").asText(), id);
                            }
                        } catch (AssertionError connectionLost) {
                            statuses.add(-1);
                            sleep(100);
                        }
                    }
                }
            });
        }
    }

    String orderId(int o) {
        return run + "-" + o;
    }

    void stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(60, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
