package io.orderhub.outbound;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;
import java.util.List;

/**
 * A webhook subscription (api.md "Webhook subscriptions"). {@code authSecret} is the basic password or the bearer
 * token; secrets are held in clear only in memory, sealed in the database, and masked in every answer.
 */
public record Subscription(
        String tenantId,
        String webhookId,
        String url,
        List<String> eventTypes,
        List<String> origins,
        List<String> businessUnits,
        String authType,
        String authUsername,
        String authSecret,
        String sharedKey,
        boolean enabled) {

    static final String MASK = "***";

    /** The subscription as the API shows it; {@code revealKey} only in the answer that generated the key. */
    public ObjectNode json(boolean revealKey) {
        ObjectNode n = OrderJson.MAPPER.createObjectNode();
        n.put("webhookId", webhookId);
        n.put("url", url);
        ArrayNode types = n.putArray("eventTypes");
        eventTypes.forEach(types::add);
        list(n, "origins", origins);
        list(n, "businessUnits", businessUnits);
        if (authType == null) {
            n.putNull("auth");
        } else if ("basic".equals(authType)) {
            n.putObject("auth")
                    .put("type", "basic")
                    .put("username", authUsername)
                    .put("password", MASK);
        } else {
            n.putObject("auth").put("type", "bearer").put("token", MASK);
        }
        n.put("sharedKey", revealKey ? sharedKey : MASK);
        n.put("enabled", enabled);
        return n;
    }

    private static void list(ObjectNode n, String field, List<String> values) {
        if (values == null) {
            n.putNull(field);
        } else {
            ArrayNode a = n.putArray(field);
            values.forEach(a::add);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + tenantId + "/" + webhookId + " -> " + url + "]";
    }
}
