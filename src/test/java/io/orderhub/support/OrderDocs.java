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
                .set(
                        "status",
                        Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", changedAt));
        lines.addObject()
                .put("lineItemId", "2")
                .put("itemId", "SKU-200")
                .put("orderedQuantity", 3)
                .put("quantity", 0)
                .set(
                        "status",
                        Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", changedAt));
        o.putObject("customer").put("customerId", "CUST-" + orderId).put("name", "Alex Example");
        return root;
    }

    public static String put(String orderId, String bu) {
        return order(orderId, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString();
    }

    /** {@code root} (an {@link #order} document) without fulfilments, for {@link #addFulfillment} to add others. */
    public static ObjectNode withoutFulfillments(ObjectNode root) {
        ((ObjectNode) root.get("customerOrder")).putArray("fulfillments");
        return root;
    }

    /**
     * Adds to {@code root} a fulfilment of line item 1 with the given method, owner and status (its line in the same
     * status, picked when FULFILLED); {@code businessUnit}, {@code orderCode}, {@code email} and {@code phone} are left
     * out when null, and a delivery address is added only for an email or phone.
     */
    public static ObjectNode addFulfillment(
            ObjectNode root,
            String fulfillmentId,
            String method,
            String businessUnit,
            String status,
            String orderCode,
            String email,
            String phone) {
        ObjectNode order = (ObjectNode) root.get("customerOrder");
        String changedAt = order.path("status").path("changedDateTime").asText();
        ObjectNode f = ((ArrayNode) order.get("fulfillments")).addObject();
        f.put("fulfillmentId", fulfillmentId);
        f.put("fulfillmentMethod", method);
        if (businessUnit != null) {
            f.put("fulfillmentBusinessUnitId", businessUnit);
        }
        f.putObject("status").put("status", status).put("changedDateTime", changedAt);
        if (orderCode != null) {
            f.put("orderCode", orderCode);
        }
        if (email != null || phone != null) {
            ObjectNode address = f.putObject("deliveryAddress")
                    .put("name", "Alex Example")
                    .put("line1", "Storgatan 1")
                    .put("city", "Stockholm")
                    .put("countryCode", "SE")
                    .put("postalCode", "111 22");
            if (email != null) {
                address.put("email", email);
            }
            if (phone != null) {
                address.put("daytimePhoneNumber", phone);
            }
        }
        f.putArray("lineItems")
                .addObject()
                .put("lineItemId", "1")
                .put("itemId", "SKU-100")
                .put("orderedQuantity", 1)
                .put("quantity", "FULFILLED".equals(status) ? 1 : 0)
                .set("status", Hub.JSON.createObjectNode().put("status", status).put("changedDateTime", changedAt));
        return root;
    }

    /** Sets the order's customer; a null id or name is left out, both null removes the customer. */
    public static ObjectNode withCustomer(ObjectNode root, String customerId, String name) {
        ObjectNode order = (ObjectNode) root.get("customerOrder");
        order.remove("customer");
        if (customerId != null || name != null) {
            ObjectNode customer = order.putObject("customer");
            if (customerId != null) {
                customer.put("customerId", customerId);
            }
            if (name != null) {
                customer.put("name", name);
            }
        }
        return root;
    }

    /** A random well-formed order code ({@code ^C[0-9A-HJKMNP-TV-Z]{6}$}); unique enough within one test tenant. */
    public static String randomOrderCode() {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder code = new StringBuilder("C");
        for (int i = 0; i < 6; i++) {
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.toString();
    }
}
