package io.orderhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A real HTTP receiver standing in for the operations alert channel (a Slack-style incoming webhook). It starts with
 * the test hub and the hub's {@code hub.alerts.webhook-url} points at it.
 */
public final class AlertReceiver implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer SERVER = start();

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/alerts", exchange -> {
                try (exchange) {
                    RECEIVED.add(Hub.JSON.readTree(exchange.getRequestBody()));
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "alert-receiver",
                        java.util.Map.of(
                                "hub.alerts.webhook-url",
                                "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/alerts")));
    }

    /** Every alert received so far. */
    public static List<JsonNode> received() {
        return List.copyOf(RECEIVED);
    }
}
