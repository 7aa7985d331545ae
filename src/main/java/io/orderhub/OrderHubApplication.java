package io.orderhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts the hub: Spring Boot wires the beans, Camel loads the YAML routes from {@code hub.routes-dir}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OrderHubApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(OrderHubApplication.class, args);
        stopInOrderOnSigterm(context);
    }

    /**
     * On SIGTERM the JVM runs every shutdown hook at once, and the embedded PostgreSQL library has one of its own that
     * stops the database while Spring's graceful shutdown is still finishing in-flight work against it. The hub
     * closes its context first (graceful: requests and events in flight finish) and only then lets the JVM exit, so
     * the database stops last.
     */
    @SuppressWarnings("sunapi")
    private static void stopInOrderOnSigterm(ConfigurableApplicationContext context) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                Thread closer = new Thread(
                        () -> {
                            try {
                                context.close();
                            } finally {
                                System.exit(143);
                            }
                        },
                        "hub-sigterm");
                closer.start();
            });
        } catch (IllegalArgumentException unsupported) {
            // no SIGTERM on this platform: the JVM's shutdown hooks do the work
        }
    }
}
