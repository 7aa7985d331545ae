package io.orderhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Talks to a running hub over real HTTP, the way its clients do. */
public final class Hub {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    public static final String OPS_PASSWORD = "test-ops-password";
    public static final String SCRAPE_TOKEN = "test-scrape-token";
    public static final String BOOTSTRAP_TENANT = "t-bootstrap";
    public static final String BOOTSTRAP_KEY = "test-bootstrap-admin-key";

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Hub(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    /** An HTTP answer with its body parsed when it is JSON. */
    public record Answer(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("expected JSON, got: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Answer send(String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        boolean hasContentType = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Content-Type"));
        if (body != null && !hasContentType) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Answer send(String method, String path, String token, String body) {
        return send(method, path, token, body, Map.of());
    }

    /** A new tenant with one key of the given roles; returns the key. */
    public String newTenantKey(String tenantId, String rolesJson, String businessUnitsJson) {
        Answer t = send("PUT", "/admin/v1/tenants/" + tenantId, ADMIN_TOKEN, "{}");
        assertThat(t.status()).as("create tenant: %s", t).isIn(200, 201);
        String body = "{\"roles\": " + rolesJson
                + (businessUnitsJson == null ? "" : ", \"businessUnits\": " + businessUnitsJson) + "}";
        Answer k = send("POST", "/admin/v1/tenants/" + tenantId + "/api-keys", ADMIN_TOKEN, body);
        assertThat(k.status()).as("create key: %s", k).isEqualTo(201);
        return k.json().get("apiKey").asText();
    }

    public static String uniqueTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
