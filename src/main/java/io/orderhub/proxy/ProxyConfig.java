package io.orderhub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;

/**
 * How the hub authenticates to a tenant's OMS: {@code basic} (username, password) or {@code oauth2} client credentials
 * (clientId, clientSecret, authUrl, optional scope and audience).
 */
public record ProxyConfig(
        String type,
        String username,
        String password,
        String clientId,
        String clientSecret,
        String authUrl,
        String scope,
        String audience) {

    public static final String MASK = "***";

    public boolean oauth2() {
        return "oauth2".equals(type);
    }

    /** The {@code config} object as stored (sealed) and as PUT. */
    public ObjectNode configJson(boolean masked) {
        ObjectNode c = OrderJson.MAPPER.createObjectNode();
        if (oauth2()) {
            c.put("clientId", clientId);
            c.put("clientSecret", masked ? MASK : clientSecret);
            c.put("authUrl", authUrl);
            if (scope != null) {
                c.put("scope", scope);
            }
            if (audience != null) {
                c.put("audience", audience);
            }
        } else {
            c.put("username", username);
            c.put("password", masked ? MASK : password);
        }
        return c;
    }

    static ProxyConfig of(String type, JsonNode c) {
        return new ProxyConfig(
                type,
                text(c, "username"),
                text(c, "password"),
                text(c, "clientId"),
                text(c, "clientSecret"),
                text(c, "authUrl"),
                text(c, "scope"),
                text(c, "audience"));
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Never prints secrets, whoever logs this. */
    @Override
    public String toString() {
        return "ProxyConfig[" + type + ", " + configJson(true) + "]";
    }
}
