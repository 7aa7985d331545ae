package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.PubSubEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/local-topology}, the docker-compose topology from local processes: it starts PostgreSQL, the Pub/Sub
 * emulator and two hubs on the Pub/Sub bus; an order put through one hub is read through the other; SIGTERM stops
 * every process of it.
 */
class LocalTopologyIT {

    @Test
    void scriptStartsTwoHubsOnOnePostgresAndOnePubSubAndStopsThemAll() throws Exception {
        Path emulatorJar = PubSubEmulator.requireJar();
        Path dir = Files.createTempDirectory(Path.of("target"), "local-topology-");
        int first = HubProcess.freePort();
        int second = HubProcess.freePort();
        Path output = dir.resolve("script.log");
        ProcessBuilder builder = new ProcessBuilder("scripts/local-topology")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("HUB_JAR", System.getProperty("hub.jar"));
        env.put("HUB_PUBSUB_EMULATOR_JAR", emulatorJar.toString());
        env.put("HUB_JAVA_OPTS", "-Xmx512m");
        env.put("TOPOLOGY_DIR", dir.toString());
        env.put("HUB_PORTS", first + " " + second);
        env.put("PG_PORT", Integer.toString(HubProcess.freePort()));
        env.put("PUBSUB_PORT", Integer.toString(HubProcess.freePort()));
        env.put("HUB_ADMIN_TOKEN", Hub.ADMIN_TOKEN);
        env.put("HUB_EXTRA_ARGS", "--hub.ops.password=" + Hub.OPS_PASSWORD);
        Process script = builder.start();
        try {
            Hub.await(
                    Duration.ofMinutes(5),
                    "the topology ready",
                    () -> read(output).contains("topology ready") || !script.isAlive());
            assertThat(Files.readString(output)).as("script output").contains("topology ready");

            Hub one = new Hub(first);
            Hub two = new Hub(second);
            String key = one.newTenantKey(Hub.uniqueTenant("topology"), "[\"oms\"]", null);
            String id = Hub.uniqueId("O");
            String path = "/api/v1/business-units/S1/customer-orders/" + id;
            Hub.Answer put = one.send("PUT", path, key, OrderDocs.put(id, "S1"), Map.of());
            assertThat(put.status()).as("PUT through the first hub: %s", put).isEqualTo(202);
            Hub.await(
                    Duration.ofSeconds(60),
                    "order readable through the second hub",
                    () -> two.send("GET", path, key, null).status() == 200);
        } finally {
            script.destroy();
            boolean ended = script.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                script.destroyForcibly();
            }
            assertThat(ended).as("the script stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(output)).contains("stopping the topology");
        for (int port : new int[] {first, second}) {
            Hub.await(Duration.ofSeconds(30), "hub on " + port + " stopped", () -> !answers(port));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean answers(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
