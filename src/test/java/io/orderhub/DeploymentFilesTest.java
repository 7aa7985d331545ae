package io.orderhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so what can be checked without one is: the topology the
 * README promises, and that every setting it gives a hub is one the hub reads (a misspelt variable would be ignored).
 */
class DeploymentFilesTest {

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTwoHubsOnThePubSubBusWithPostgresAndTheEmulator() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("postgres", "pubsub", "hub-1", "hub-2");
        assertThat(String.join(" ", (List<String>) services.get("pubsub").get("command")))
                .contains("emulators pubsub start")
                .contains("--host-port=0.0.0.0:8085");

        String config = Files.readString(Path.of("config", "application.yaml"));
        for (String hub : List.of("hub-1", "hub-2")) {
            Map<String, Object> service = services.get(hub);
            Map<String, String> env = (Map<String, String>) service.get("environment");
            assertThat(env).as("%s environment", hub).containsEntry("HUB_BUS", "pubsub");
            assertThat(env.get("HUB_PUBSUB_ENDPOINT")).isEqualTo("pubsub:8085");
            assertThat(env.get("HUB_DB_URL")).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env.get("HUB_ENCRYPTION_KEY"))
                    .as("one key for every instance")
                    .startsWith("${HUB_ENCRYPTION_KEY");
            assertThat((Map<String, Object>) service.get("depends_on")).containsKeys("postgres", "pubsub");
            for (String variable : env.keySet()) {
                assertThat(config)
                        .as("%s sets %s, which config/application.yaml must read", hub, variable)
                        .contains("${" + variable + ":");
            }
        }
    }
}
