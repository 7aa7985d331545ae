package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * domain.md "Conflicts between the OMS and the store": the store's progress wins over a later OMS snapshot.
 *
 * <p>Store progress is a store-owned fulfilment (or line) being READY_FOR_PICKUP or FULFILLED, and its picked
 * quantities. Goods that left the store cannot be taken back by a snapshot: one that would cancel, remove, move back,
 * hand to another owner or lower the picked quantity of a store fulfilment with anything picked is refused as a whole,
 * so the decision stays with the OMS, which gets the true state published back. A fulfilment ready for pickup with
 * nothing picked keeps that status against a snapshot saying CREATED, but may still be cancelled.
 */
public final class StoreProgress {

    private StoreProgress() {}

    /** Either the reason the snapshot is refused, or the notes of what was kept (empty when nothing was). */
    public record Verdict(String conflict, List<String> kept) {
        public boolean rejected() {
            return conflict != null;
        }
    }

    /** Checks {@code merged} (the snapshot about to replace {@code stored}) and keeps the store's progress in it. */
    public static Verdict reconcile(JsonNode stored, ObjectNode merged) {
        List<String> kept = new ArrayList<>();
        for (JsonNode before : stored.path("fulfillments")) {
            if (!Fulfillments.isStoreFulfilled(before)) {
                continue; // warehouse shipments follow the OMS
            }
            String fid = before.path("fulfillmentId").asText();
            JsonNode after = Fulfillments.byId(merged, fid).orElse(null);
            if (Fulfillments.anyPicked(before)) {
                String conflict = handedOutConflict(fid, before, after);
                if (conflict != null) {
                    return new Verdict(conflict, List.of());
                }
            }
            // progress is kept for the same owner only: a shipment the OMS gives to another store or to the warehouse
            // starts afresh there (nothing was handed out, or the snapshot was refused above)
            if (after instanceof ObjectNode afterNode
                    && Fulfillments.owner(before).equals(Fulfillments.owner(after))) {
                keepProgress(fid, before, afterNode, kept);
            }
        }
        if (storeHasActed(stored)) {
            // the order's own status does not fall behind what the store's work made it either
            String said = Fulfillments.status(merged);
            // as far as the stored order had come, but no further than its fulfilments now justify
            String was = Fulfillments.status(stored);
            String derived = Fulfillments.orderStatusAfterStoreWork(merged);
            String keep = orderProgress(was) <= orderProgress(derived) ? was : derived;
            if (orderProgress(keep) > orderProgress(said) && !Fulfillments.CANCELLED.equals(said)) {
                ((ObjectNode) merged.path("status")).put("status", keep);
                kept.add("order status " + keep + " kept (store progress; the snapshot said " + said + ")");
            }
        }
        return new Verdict(null, kept);
    }

    private static boolean storeHasActed(JsonNode customerOrder) {
        for (JsonNode f : customerOrder.path("fulfillments")) {
            if (Fulfillments.isStoreFulfilled(f)
                    && (Fulfillments.progress(Fulfillments.status(f)) > 0 || Fulfillments.anyPicked(f))) {
                return true;
            }
        }
        return false;
    }

    private static int orderProgress(String status) {
        return switch (status) {
            case "CREATED" -> 0;
            case "IN_PROGRESS" -> 1;
            case "FULFILLED" -> 2;
            default -> -1;
        };
    }

    /** Why a snapshot may not touch a fulfilment with picked goods, or null when it leaves them alone. */
    private static String handedOutConflict(String fid, JsonNode before, JsonNode after) {
        if (after == null) {
            return "fulfilment " + fid + " has goods handed out; the snapshot removes it";
        }
        String status = Fulfillments.status(after);
        if (Fulfillments.CANCELLED.equals(status)) {
            return "fulfilment " + fid + " has goods handed out; the snapshot cancels it";
        }
        if (Fulfillments.progress(status) < Fulfillments.progress(Fulfillments.status(before))) {
            return "fulfilment " + fid + " is " + Fulfillments.status(before) + " with goods handed out; the snapshot"
                    + " moves it back to " + status;
        }
        if (!Fulfillments.owner(before).equals(Fulfillments.owner(after))) {
            return "fulfilment " + fid + " has goods handed out by " + Fulfillments.owner(before)
                    + "; the snapshot moves it to " + Fulfillments.owner(after);
        }
        for (JsonNode line : before.path("lineItems")) {
            if (Fulfillments.picked(line).signum() == 0) {
                continue;
            }
            String lineId = line.path("lineItemId").asText();
            JsonNode afterLine = Fulfillments.lineById(after, lineId).orElse(null);
            if (afterLine == null) {
                return "line " + lineId + " of fulfilment " + fid + " has goods handed out; the snapshot removes it";
            }
            if (Fulfillments.picked(afterLine).compareTo(Fulfillments.picked(line)) < 0) {
                return "line " + lineId + " of fulfilment " + fid + " has "
                        + Fulfillments.picked(line).toPlainString()
                        + " handed out; the snapshot lowers it to "
                        + Fulfillments.picked(afterLine).toPlainString();
            }
            String lineStatus = Fulfillments.status(afterLine);
            if (Fulfillments.CANCELLED.equals(lineStatus)
                    || Fulfillments.progress(lineStatus) < Fulfillments.progress(Fulfillments.status(line))) {
                return "line " + lineId + " of fulfilment " + fid + " is " + Fulfillments.status(line)
                        + " with goods handed out; the snapshot makes it " + lineStatus;
            }
        }
        return null;
    }

    /** Keeps statuses the store reached that the snapshot would set back (a cancellation applies). */
    private static void keepProgress(String fid, JsonNode before, ObjectNode after, List<String> kept) {
        String snapshotSaid = Fulfillments.status(after);
        if (keepStatus(before, after)) {
            kept.add("fulfilment " + fid + " keeps " + Fulfillments.status(before) + " (store progress; the snapshot"
                    + " said " + snapshotSaid + ")");
        }
        for (JsonNode line : before.path("lineItems")) {
            JsonNode afterLine = Fulfillments.lineById(
                            after, line.path("lineItemId").asText())
                    .orElse(null);
            if (afterLine instanceof ObjectNode afterLineNode) {
                keepStatus(line, afterLineNode);
                if (line.has("readyForPickupDateTime")
                        && !afterLineNode.has("readyForPickupDateTime")
                        && !Fulfillments.CANCELLED.equals(Fulfillments.status(afterLineNode))) {
                    afterLineNode.set("readyForPickupDateTime", line.get("readyForPickupDateTime"));
                }
            }
        }
    }

    /** Puts back {@code before}'s status into {@code after} when the snapshot would move it back; true if it did. */
    private static boolean keepStatus(JsonNode before, ObjectNode after) {
        String was = Fulfillments.status(before);
        String now = Fulfillments.status(after);
        if (Fulfillments.CANCELLED.equals(now) || Fulfillments.progress(now) >= Fulfillments.progress(was)) {
            return false;
        }
        if (Fulfillments.progress(was) <= 0) {
            return false;
        }
        after.set("status", before.get("status").deepCopy());
        return true;
    }
}
