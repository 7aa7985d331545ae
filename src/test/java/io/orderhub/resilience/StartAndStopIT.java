package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.PubSubEmulator;
import io.orderhub.support.TcpGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How the packaged hub starts and stops, as operations see it. */
class StartAndStopIT {

    @Test
    void aRouteFileThatDoesNotLoadStopsTheStartNamingTheFile() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "broken-routes-");
        Path routes = Files.createDirectories(data.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        // an integration engineer's typo: a step that does not exist
        Files.writeString(
                routes.resolve("store-pickup-notify.camel.yaml"),
                """
                - route:
                    id: store-pickup-notify
                    from:
                      uri: direct:store-pickup-notify
                      steps:
                        - sendTwice:
                            uri: log:nowhere
                """);
        HubProcess hub =
                HubProcess.of("broken-routes", List.of("--hub.data-dir=" + data, "--hub.routes-dir=" + routes));
        int exit = hub.startExpectingExit(Duration.ofSeconds(120));
        assertThat(exit).as("the hub refuses to start").isNotZero();
        assertThat(hub.log()).as("the start failure names the file").contains("store-pickup-notify.camel.yaml");
    }

    @Test
    void inTheDevProfileAnEditedRouteFileIsReloadedWithoutARestart() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "reload-");
        Path routes = copyOfRoutes(data);
        try (HubProcess process = HubProcess.of(
                "reload",
                List.of("--spring.profiles.active=dev", "--hub.data-dir=" + data, "--hub.routes-dir=" + routes))) {
            process.start();
            Hub hub = process.client();
            String key = hub.newTenantKey(Hub.uniqueTenant("reload"), "[\"oms\"]", null);
            Path route = routes.resolve("customer-order-get.camel.yaml");
            // the integration team adds a log step to the read route and saves the file
            String original = Files.readString(route);
            String edited = original.replace(
                    "      steps:\n        - bean:",
                    "      steps:\n        - log:\n            message: \"edited route read ${header.id}\"\n        - bean:");
            assertThat(edited).as("the edit applies to the route file").isNotEqualTo(original);
            Files.writeString(route, edited);
            Hub.await(Duration.ofSeconds(60), "the edited route answers", () -> {
                hub.send("GET", "/api/v1/business-units/S1/customer-orders/RELOAD-1", key, null);
                try {
                    return process.log().contains("edited route read RELOAD-1");
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    private static Path copyOfRoutes(Path data) throws java.io.IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        return routes;
    }

    @Test
    void gracefulShutdownUnderLoadEndsWithin30SecondsAndLosesNothing() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "shutdown-");
        try (HubProcess process = HubProcess.of("shutdown", List.of("--hub.data-dir=" + data))) {
            stopUnderLoadAndRestart(process, false);
        }
    }

    @Test
    void onThePubSubBusGracefulShutdownUnderLoadEndsWithin30SecondsAndLosesNothing() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "shutdown-pubsub-");
        try (HubProcess process = HubProcess.of(
                "shutdown-pubsub", pubSubArgs(data, PubSubEmulator.require().endpoint()))) {
            stopUnderLoadAndRestart(process, true);
        }
    }

    private static void stopUnderLoadAndRestart(HubProcess process, boolean atLeastOnceBus) throws Exception {
        process.start();
        Hub hub = process.client();
        String key = hub.newTenantKey(Hub.uniqueTenant("shutdown"), "[\"oms\", \"admin\"]", null);
        LoadUnderTest load = new LoadUnderTest(hub, key, 30, 8);
        Hub.await(Duration.ofSeconds(60), "events flowing", () -> load.acceptedEvents.size() >= 200);

        Duration stopping = process.terminate();
        load.stop();
        assertThat(stopping).as("graceful shutdown time").isLessThan(Duration.ofSeconds(30));
        assertThat(load.statuses)
                .as("answers were 202s, 503s while stopping, or refused connections")
                .allMatch(s -> s == 202 || s == 503 || s == -1);

        process.start();
        Recovery.assertEveryAcceptedEventAppliedExactlyOnce(hub, key, load, atLeastOnceBus);
    }

    @Test
    void onThePubSubBusAnUnreachablePubSubGives503sAndStillLetsTheHubStopWithin30Seconds() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "unreachable-pubsub-");
        try (TcpGate gate = new TcpGate(PubSubEmulator.require().endpoint());
                HubProcess process = HubProcess.of("unreachable-pubsub", pubSubArgs(data, gate.address()))) {
            process.start();
            Hub hub = process.client();
            String key = hub.newTenantKey(Hub.uniqueTenant("unreachable"), "[\"oms\", \"admin\"]", null);
            String id = Hub.uniqueId("O");
            String path = "/api/v1/business-units/S1/customer-orders/" + id;
            assertThat(hub.send("PUT", path, key, OrderDocs.put(id, "S1"), java.util.Map.of())
                            .status())
                    .isEqualTo(202);
            Hub.await(
                    Duration.ofSeconds(30),
                    "order applied",
                    () -> hub.send("GET", path, key, null).status() == 200);

            gate.cut();
            long start = System.nanoTime();
            Hub.Answer refused = hub.send("PUT", path, key, OrderDocs.put(id, "S1"), java.util.Map.of());
            assertThat(refused.status())
                    .as("PUT with Pub/Sub unreachable: %s", refused)
                    .isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("answered within hub.events.accept-timeout (5 s), not hung")
                    .isLessThan(Duration.ofSeconds(9));

            Duration stopping = process.terminate();
            assertThat(stopping).as("shutdown time with Pub/Sub unreachable").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void onThePubSubBusAMissingTopicStopsTheStartNamingItWhenCreationIsOff() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "pubsub-missing-");
        String project = Hub.uniqueTenant("missing");
        List<String> args = new java.util.ArrayList<>(
                pubSubArgs(data, PubSubEmulator.require().endpoint()));
        args.removeIf(a -> a.startsWith("--hub.pubsub.project="));
        args.add("--hub.pubsub.project=" + project);
        args.add("--hub.pubsub.create-resources=false");
        try (HubProcess hub = HubProcess.of("pubsub-missing", args)) {
            int exit = hub.startExpectingExit(Duration.ofSeconds(120));
            assertThat(exit).as("the hub refuses to start").isNotZero();
            assertThat(hub.log())
                    .contains("Pub/Sub topic projects/" + project + "/topics/order-events does not exist")
                    .contains("hub.pubsub.create-resources=true");
        }
    }

    private static List<String> pubSubArgs(Path data, String endpoint) {
        return List.of(
                "--hub.data-dir=" + data,
                "--hub.bus=pubsub",
                "--hub.pubsub.endpoint=" + endpoint,
                "--hub.pubsub.project=" + Hub.uniqueTenant("stop"),
                "--hub.pubsub.ack-deadline=10s");
    }
}
