package io.orderhub.support;

import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs the test hub on the Pub/Sub bus when the run asks for it ({@code -Dhub.bus=pubsub}, the build's {@code
 * pubsub-bus} execution): the same test classes then run against Pub/Sub instead of PostgreSQL's queue. The emulator
 * is found (or the class skipped, or failed under CI) before Spring builds the hub, and the hub is pointed at it.
 */
public final class PubSubBus
        implements BeforeAllCallback, ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static TcpGate gate;

    /**
     * The way from the test hub to the emulator, which a test may cut to make Pub/Sub unreachable for a while (and
     * must restore).
     */
    public static synchronized TcpGate gate() {
        if (gate == null) {
            try {
                gate = new TcpGate(PubSubEmulator.require().endpoint());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("could not open the relay to the Pub/Sub emulator", e);
            }
        }
        return gate;
    }

    public static boolean chosen() {
        return "pubsub".equals(System.getProperty("hub.bus"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (chosen()) {
            PubSubEmulator.require();
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if ("pubsub".equals(context.getEnvironment().getProperty("hub.bus"))) {
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "test-pubsub-emulator",
                            Map.of("hub.pubsub.endpoint", gate().address(), "hub.pubsub.project", "order-hub-test")));
        }
    }
}
