package io.orderhub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.storage.EmbeddedPostgresServer;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started under load: PUTs get 503 meanwhile (never 500, never a lost 202), consumption
 * resumes afterwards, and nothing is dead-lettered for the outage.
 */
class DatabaseOutageIT {

    @Test
    void databaseOutageUnderLoadGives503sAndLosesNothing() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "outage-");
        int dbPort = HubProcess.freePort();
        EmbeddedPostgresServer db = EmbeddedPostgresServer.start(data.resolve("pg"), dbPort);
        try (HubProcess process = HubProcess.of(
                "outage",
                List.of(
                        "--hub.db.url=" + db.jdbcUrl(),
                        "--hub.db.user=" + db.user(),
                        "--hub.db.password=" + db.password()))) {
            process.start();
            Hub hub = process.client();
            String key = hub.newTenantKey(Hub.uniqueTenant("outage"), "[\"oms\", \"admin\"]", null);
            LoadUnderTest load = new LoadUnderTest(hub, key, 30, 6);
            Hub.await(Duration.ofSeconds(60), "events flowing", () -> load.acceptedEvents.size() >= 100);

            db.close();
            int before = load.statuses.size();
            Hub.await(Duration.ofSeconds(60), "PUTs answered 503 during the outage", () -> load.statuses.stream()
                    .skip(before)
                    .anyMatch(s -> s == 503));
            db = EmbeddedPostgresServer.start(data.resolve("pg"), dbPort);
            int afterRestart = load.statuses.size();
            Hub.await(Duration.ofSeconds(60), "PUTs accepted again after the outage", () -> load.statuses.stream()
                    .skip(afterRestart)
                    .anyMatch(s -> s == 202));
            load.stop();

            assertThat(load.statuses)
                    .as("every answer was a 202 or a 503, never a 500")
                    .allMatch(s -> s == 202 || s == 503);
            Recovery.assertEveryAcceptedEventAppliedExactlyOnce(hub, key, load);
            Hub.Answer deadLetters = hub.send("GET", "/api/v1/dead-letters", key, null);
            assertThat(deadLetters.json().get("page").get("total").asInt())
                    .as("dead letters: %s", deadLetters)
                    .isZero();
        } finally {
            db.close();
        }
    }
}
