package io.orderhub.ingest;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code hub.bus} into the two switches the consume routes start by ({@code autoStartup}): every route file is
 * loaded whichever bus is chosen, but only the chosen bus's consumers run. A YAML route cannot compare a setting with
 * a value, so the comparison is made here once.
 */
public class BusSwitch implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String bus = environment.getProperty("hub.bus", "postgres").trim();
        if (!bus.equals("postgres") && !bus.equals("pubsub")) {
            throw new IllegalStateException("hub.bus must be postgres or pubsub, not '" + bus + "'");
        }
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "hub-bus-switch",
                        Map.of(
                                "hub.consume.postgres-bus", Boolean.toString(bus.equals("postgres")),
                                "hub.consume.pubsub-bus", Boolean.toString(bus.equals("pubsub")))));
    }
}
