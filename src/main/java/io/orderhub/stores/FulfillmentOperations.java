package io.orderhub.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.Fulfillments;
import io.orderhub.orders.Violation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store operations of domain.md on one fulfilment of an order document: who may act on it (shipment ownership)
 * and the state changes of ready for pickup and deliver. Pure rules on the document: the caller loads, locks and
 * saves the order.
 */
public final class FulfillmentOperations {

    private FulfillmentOperations() {}

    /** A quantity handed out on one line, for the history and the POSLog. */
    public record Moved(String lineItemId, String itemId, BigDecimal quantity) {}

    /** What an operation did: nothing ({@code changed} false, the idempotent repeat) or the described change. */
    public record Change(boolean changed, String detail, List<Moved> moved) {}

    /**
     * The fulfilment {@code fid} of {@code order} if store {@code bu} may operate on it: 404 when there is none, 409
     * {@code shipment-locked} naming it and its owner when another system or store owns it.
     */
    public static ObjectNode ownedFulfilment(JsonNode order, String fid, String bu) {
        JsonNode f = Fulfillments.byId(order, fid)
                .orElseThrow(() -> ProblemException.notFound(
                        "order " + order.path("customerOrderId").asText() + " has no fulfilment " + fid));
        String owner = Fulfillments.owner(f);
        if (!("STORE " + bu).equals(owner)) {
            throw new ProblemException(
                    409,
                    "shipment-locked",
                    "Shipment locked",
                    "fulfilment " + fid + " is owned by "
                            + (owner.equals("WAREHOUSE") ? "the warehouse" : "store " + owner.substring(6))
                            + "; store " + bu + " cannot operate on it",
                    List.of(),
                    Map.of("fulfillmentId", fid, "owner", owner),
                    Map.of());
        }
        return (ObjectNode) f;
    }

    /** {@code :ready-for-pickup}: CREATED becomes READY_FOR_PICKUP (lines too); a repeat changes nothing. */
    public static Change readyForPickup(ObjectNode order, ObjectNode fulfilment, Instant now) {
        String fid = fulfilment.path("fulfillmentId").asText();
        String status = Fulfillments.status(fulfilment);
        if (Fulfillments.READY_FOR_PICKUP.equals(status)) {
            return new Change(false, "fulfilment " + fid + " was already READY_FOR_PICKUP", List.of());
        }
        if (!Fulfillments.CREATED.equals(status)) {
            throw invalidTransition(fid, status, "ready for pickup");
        }
        String at = time(now);
        setStatus(fulfilment, Fulfillments.READY_FOR_PICKUP, at);
        for (JsonNode line : fulfilment.path("lineItems")) {
            if (Fulfillments.CREATED.equals(Fulfillments.status(line))) {
                setStatus((ObjectNode) line, Fulfillments.READY_FOR_PICKUP, at);
                ((ObjectNode) line).put("readyForPickupDateTime", at);
            }
        }
        orderMovedOn(order, at);
        return new Change(true, "fulfilment " + fid + " READY_FOR_PICKUP", List.of());
    }

    /**
     * {@code :deliver}: adds the quantities to the lines' picked quantity, never beyond what the line allocates (400,
     * nothing changed); a line whose picked quantity reaches it is FULFILLED, the fulfilment when all its lines are,
     * the order when every fulfilment is done. Nothing left to deliver (everything asked): no change.
     */
    public static Change deliver(ObjectNode order, ObjectNode fulfilment, DeliverRequest request, Instant now) {
        String fid = fulfilment.path("fulfillmentId").asText();
        String status = Fulfillments.status(fulfilment);
        if (Fulfillments.CANCELLED.equals(status)) {
            throw invalidTransition(fid, status, "delivered");
        }
        List<Moved> moves = request.everything() ? everythingOpen(fulfilment) : asked(order, fulfilment, request);
        if (moves.isEmpty()) {
            return new Change(false, "fulfilment " + fid + " had nothing left to deliver", List.of());
        }
        String at = time(now);
        List<String> parts = new ArrayList<>();
        for (Moved move : moves) {
            ObjectNode line = (ObjectNode)
                    Fulfillments.lineById(fulfilment, move.lineItemId()).orElseThrow();
            BigDecimal picked = Fulfillments.picked(line).add(move.quantity());
            line.set("quantity", line.numberNode(plain(picked)));
            if (picked.compareTo(Fulfillments.ordered(line)) >= 0) {
                setStatus(line, Fulfillments.FULFILLED, at);
            }
            parts.add("line " + move.lineItemId() + " +" + move.quantity().toPlainString());
        }
        if (allLinesDone(fulfilment)) {
            setStatus(fulfilment, Fulfillments.FULFILLED, at);
        }
        orderMovedOn(order, at);
        return new Change(true, "fulfilment " + fid + " delivered " + String.join(", ", parts), moves);
    }

    private static List<Moved> everythingOpen(JsonNode fulfilment) {
        List<Moved> moves = new ArrayList<>();
        for (JsonNode line : fulfilment.path("lineItems")) {
            if (Fulfillments.CANCELLED.equals(Fulfillments.status(line))) {
                continue;
            }
            BigDecimal open = Fulfillments.ordered(line).subtract(Fulfillments.picked(line));
            if (open.signum() > 0) {
                moves.add(new Moved(
                        line.path("lineItemId").asText(), line.path("itemId").asText(), open));
            }
        }
        return moves;
    }

    private static List<Moved> asked(JsonNode order, JsonNode fulfilment, DeliverRequest request) {
        List<Violation> violations = new ArrayList<>();
        List<Moved> moves = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, BigDecimal> ask : request.quantities().entrySet()) {
            String at = "/lineItems/" + i++;
            JsonNode line = Fulfillments.lineById(fulfilment, ask.getKey()).orElse(null);
            if (line == null) {
                violations.add(new Violation(
                        at + "/lineItemId",
                        "fulfilment " + fulfilment.path("fulfillmentId").asText() + " has no line " + ask.getKey()));
                continue;
            }
            if (Fulfillments.CANCELLED.equals(Fulfillments.status(line))) {
                throw new ProblemException(
                        409,
                        "invalid-transition",
                        "Invalid transition",
                        "line " + ask.getKey() + " is CANCELLED and cannot be delivered");
            }
            if (isCountedInEach(order, ask.getKey()) && !isWhole(ask.getValue())) {
                violations.add(new Violation(at + "/quantity", "must be a whole number: the line is counted in EA"));
                continue;
            }
            BigDecimal open = Fulfillments.ordered(line).subtract(Fulfillments.picked(line));
            if (ask.getValue().compareTo(open) > 0) {
                violations.add(new Violation(
                        at + "/quantity",
                        "would deliver " + ask.getValue().toPlainString() + " but only "
                                + plain(open).toPlainString()
                                + " of " + plain(Fulfillments.ordered(line)).toPlainString()
                                + " ordered are still open"));
                continue;
            }
            moves.add(new Moved(ask.getKey(), line.path("itemId").asText(), ask.getValue()));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations);
        }
        return moves;
    }

    /** A line is counted in each when its order item's unit of measure is EA (the v2 default unit). */
    private static boolean isCountedInEach(JsonNode order, String lineItemId) {
        for (JsonNode item : order.path("items")) {
            if (lineItemId.equals(item.path("lineItemId").asText())) {
                return "EA".equals(item.path("quantity").path("unitOfMeasure").asText("EA"));
            }
        }
        return true;
    }

    private static boolean isWhole(BigDecimal q) {
        return q.stripTrailingZeros().scale() <= 0;
    }

    private static boolean allLinesDone(JsonNode fulfilment) {
        boolean anyFulfilled = false;
        for (JsonNode line : fulfilment.path("lineItems")) {
            String s = Fulfillments.status(line);
            if (Fulfillments.FULFILLED.equals(s)) {
                anyFulfilled = true;
            } else if (!Fulfillments.CANCELLED.equals(s)) {
                return false;
            }
        }
        return anyFulfilled;
    }

    /** The order is IN_PROGRESS on the first store operation and FULFILLED when every fulfilment is done. */
    private static void orderMovedOn(ObjectNode order, String at) {
        String now = Fulfillments.status(order);
        if (Fulfillments.CANCELLED.equals(now)) {
            return;
        }
        String next = Fulfillments.orderStatusAfterStoreWork(order);
        if (!next.equals(now)) {
            setStatus(order, next, at);
        }
    }

    private static void setStatus(ObjectNode holder, String status, String at) {
        ((ObjectNode) holder.path("status")).put("status", status).put("changedDateTime", at);
    }

    private static ProblemException invalidTransition(String fid, String status, String what) {
        return new ProblemException(
                409,
                "invalid-transition",
                "Invalid transition",
                "fulfilment " + fid + " is " + status + " and cannot be " + what,
                List.of(),
                Map.of("fulfillmentId", fid, "status", status),
                Map.of());
    }

    /** Whole quantities stay integers in the document (1, not 1.0); others keep their digits, never an exponent. */
    static BigDecimal plain(BigDecimal q) {
        BigDecimal s = q.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    static String time(Instant now) {
        return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS));
    }
}
