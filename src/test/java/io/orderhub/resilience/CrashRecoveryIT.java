package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.storage.EmbeddedPostgresServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub is killed with SIGKILL while events flow, then restarted: every event that got a 202 is applied exactly
 * once in effect, none lost. Once on the embedded default (the orphaned embedded server must be recovered) and once
 * on an external PostgreSQL.
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

    private static void crashAndRecover(HubProcess process) throws Exception {
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
        Recovery.assertEveryAcceptedEventAppliedExactlyOnce(hub, key, load);
    }
}
