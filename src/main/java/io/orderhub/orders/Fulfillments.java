package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/** Facts about fulfilments and their lines that several rules share (domain.md). */
public final class Fulfillments {

    public static final String CREATED = "CREATED";
    public static final String READY_FOR_PICKUP = "READY_FOR_PICKUP";
    public static final String FULFILLED = "FULFILLED";
    public static final String CANCELLED = "CANCELLED";

    private static final Set<String> STORE_METHODS = Set.of("PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE");

    private Fulfillments() {}

    /** Store-fulfilled: the store {@code fulfillmentBusinessUnitId} owns it (domain.md "Shipment ownership"). */
    public static boolean isStoreFulfilled(JsonNode fulfilment) {
        return STORE_METHODS.contains(fulfilment.path("fulfillmentMethod").asText());
    }

    public static String status(JsonNode statusHolder) {
        return statusHolder.path("status").path("status").asText();
    }

    /**
     * How far a fulfilment or line has come: CREATED, then READY_FOR_PICKUP, then FULFILLED. CANCELLED is not on the
     * way (-1).
     */
    public static int progress(String status) {
        return switch (status) {
            case CREATED -> 0;
            case READY_FOR_PICKUP -> 1;
            case FULFILLED -> 2;
            default -> -1;
        };
    }

    /** The picked quantity of a fulfilment line (its {@code quantity}), exact. */
    public static BigDecimal picked(JsonNode line) {
        JsonNode q = line.path("quantity");
        return q.isNumber() ? q.decimalValue() : BigDecimal.ZERO;
    }

    public static BigDecimal ordered(JsonNode line) {
        JsonNode q = line.path("orderedQuantity");
        return q.isNumber() ? q.decimalValue() : BigDecimal.ZERO;
    }

    /** True when any line of the fulfilment has a picked quantity: goods have left the store's shelf. */
    public static boolean anyPicked(JsonNode fulfilment) {
        for (JsonNode line : fulfilment.path("lineItems")) {
            if (picked(line).signum() > 0) {
                return true;
            }
        }
        return false;
    }

    public static Optional<JsonNode> byId(JsonNode customerOrder, String fulfillmentId) {
        for (JsonNode f : customerOrder.path("fulfillments")) {
            if (fulfillmentId.equals(f.path("fulfillmentId").asText())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public static Optional<JsonNode> lineById(JsonNode fulfilment, String lineItemId) {
        for (JsonNode l : fulfilment.path("lineItems")) {
            if (lineItemId.equals(l.path("lineItemId").asText())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** Who owns the fulfilment, as a {@code shipment-locked} answer names it: {@code WAREHOUSE} or {@code STORE <id>}. */
    public static String owner(JsonNode fulfilment) {
        return isStoreFulfilled(fulfilment)
                ? "STORE " + fulfilment.path("fulfillmentBusinessUnitId").asText()
                : "WAREHOUSE";
    }

    /**
     * The order status store operations lead to (domain.md "Store operations"): FULFILLED when every fulfilment is
     * FULFILLED or CANCELLED and at least one is FULFILLED, otherwise IN_PROGRESS.
     */
    public static String orderStatusAfterStoreWork(JsonNode customerOrder) {
        boolean anyFulfilled = false;
        for (JsonNode f : customerOrder.path("fulfillments")) {
            String s = status(f);
            if (FULFILLED.equals(s)) {
                anyFulfilled = true;
            } else if (!CANCELLED.equals(s)) {
                return "IN_PROGRESS";
            }
        }
        return anyFulfilled ? FULFILLED : "IN_PROGRESS";
    }
}
