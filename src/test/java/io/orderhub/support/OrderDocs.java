package io.orderhub.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Realistic v2 order documents for tests: invented data, shaped like what an OMS sends. */
public final class OrderDocs {

    private OrderDocs() {}

    /**
     * A pickup-in-store order of two lines, status {@code status} changed at {@code changedAt}; {@code cartName}
     * tags the version so tests can tell snapshots apart.
     */
    public static ObjectNode order(String orderId, String bu, String status, String changedAt, String cartName) {
        ObjectNode root = Hub.JSON.createObjectNode();
        ObjectNode o = root.putObject("customerOrder");
        o.put("customerOrderId", orderId);
        o.put("businessUnitId", bu);
        o.putObject("status").put("status", status).put("changedDateTime", changedAt);
        o.put("currencyId", "EUR");
        o.put("cartName", cartName);
        ArrayNode items = o.putArray("items");
        items.addObject()
                .put("lineItemId", "1")
                .put("itemId", "SKU-100")
                .put("itemName", "Rain jacket")
                .put("unitPrice", 59.95)
                .set("quantity", Hub.JSON.createObjectNode().put("value", 1).put("unitOfMeasure", "EA"));
        items.addObject()
                .put("lineItemId", "2")
                .put("itemId", "SKU-200")
                .put("unitPrice", 4.5)
                .set("quantity", Hub.JSON.createObjectNode().put("value", 3).put("unitOfMeasure", "EA"));
        ObjectNode f = o.putArray("fulfillments").addObject();
        f.put("fulfillmentId", "F1");
        f.put("fulfillmentMethod", "PICKUP_IN_STORE");
        f.put("fulfillmentBusinessUnitId", bu);
        f.putObject("status").put("status", "CREATED").put("changedDateTime", changedAt);
        ArrayNode lines = f.putArray("lineItems");
        lines.addObject()
                .put("lineItemId", "1")
                .put("itemId", "SKU-100")
                .put("orderedQuantity", 1)
                .put("quantity", 0)
                .set("status", Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", changedAt));
        lines.addObject()
                .put("lineItemId", "2")
                .put("itemId", "SKU-200")
                .put("orderedQuantity", 3)
                .put("quantity", 0)
                .set("status", Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", changedAt));
        o.putObject("customer").put("customerId", "CUST-" + orderId).put("name", "Alex Example");
        return root;
    }

    public static String put(String orderId, String bu) {
        return order(orderId, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString();
    }
}
