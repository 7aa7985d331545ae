package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.storage.EmbeddedPostgresServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.PubSubEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub is killed with SIGKILL while events flow, then restarted: every event that got a 202 is applied exactly
 * once in effect, none lost. On the embedded default (the orphaned embedded server must be recovered), on an external
 * PostgreSQL, and on the Pub/Sub bus (the official emulator).
 */
class CrashRecoveryIT {

    @Test
    void killedHubOnEmbeddedDatabaseLosesNothingAfterRestart() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "crash-embedded-");
        try (HubProcess hub = HubProcess.of("crash-embedded", List.of("--hub.data-dir=" + data))) {
            crashAndRecover(hub);
        }
    }

    @Test
    void killedHubOnExternalDatabaseLosesNothingAfterRestart() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "crash-external-");
        try (EmbeddedPostgresServer db = EmbeddedPostgresServer.start(data.resolve("pg"));
                HubProcess hub = HubProcess.of(
                        "crash-external",
                        List.of(
                                "--hub.db.url=" + db.jdbcUrl(),
                                "--hub.db.user=" + db.user(),
                                "--hub.db.password=" + db.password()))) {
            crashAndRecover(hub);
        }
    }

    @Test
    void killedHubOnThePubSubBusLosesNothingAfterRestart() throws Exception {
        PubSubEmulator emulator = PubSubEmulator.require();
        Path data = Files.createTempDirectory(Path.of("target"), "crash-pubsub-");
        try (HubProcess hub = HubProcess.of(
                "crash-pubsub",
                List.of(
                        "--hub.data-dir=" + data,
                        "--hub.bus=pubsub",
                        "--hub.pubsub.endpoint=" + emulator.endpoint(),
                        "--hub.pubsub.project=" + Hub.uniqueTenant("crash"),
                        // messages the killed instance held come back after this
                        "--hub.pubsub.ack-deadline=10s"))) {
            crashAndRecover(hub, true);
        }
    }

    private static void crashAndRecover(HubProcess process) throws Exception {
        crashAndRecover(process, false);
    }

    private static void crashAndRecover(HubProcess process, boolean atLeastOnceBus) throws Exception {
        process.start();
        Hub hub = process.client();
        String key = hub.newTenantKey(Hub.uniqueTenant("crash"), "[\"oms\", \"admin\"]", null);
        LoadUnderTest load = new LoadUnderTest(hub, key, 40, 8);
        Hub.await(
                java.time.Duration.ofSeconds(60),
                "a few hundred events accepted",
                () -> load.acceptedEvents.size() >= 300);
        process.kill();
        load.stop();
        assertThat(load.statuses)
                .as("answers before the kill were 202s or lost connections")
                .allMatch(s -> s == 202 || s == -1);

        process.start();
        Recovery.assertEveryAcceptedEventAppliedExactlyOnce(hub, key, load, atLeastOnceBus);
    }
}
