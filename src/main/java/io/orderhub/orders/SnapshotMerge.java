package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * How an OMS snapshot merges into the stored order: the snapshot replaces the document, except for hub-owned data
 * (the placing business unit, minted order codes), which a snapshot that omits them does not erase, and the store's
 * progress, which a snapshot cannot undo ({@link StoreProgress}).
 */
public final class SnapshotMerge {

    private SnapshotMerge() {}

    /** The outcome of merging, with the merged document when the outcome changes the order. */
    public record Result(Outcome outcome, JsonNode merged, String detail, boolean storeProgressWon) {
        Result(Outcome outcome, JsonNode merged, String detail) {
            this(outcome, merged, detail, false);
        }
    }

    /**
     * Merges {@code snapshot} (a {@code customerOrder} object) placed at {@code eventBu} into the stored order
     * ({@code stored} null when the order is new).
     */
    public static Result merge(JsonNode stored, String storedBu, JsonNode snapshot, String eventBu) {
        if (stored != null && !storedBu.equals(eventBu)) {
            return new Result(
                    Outcome.REJECTED_CONFLICT,
                    null,
                    "order-moved: the order was placed at " + storedBu + ", not " + eventBu);
        }
        ObjectNode merged = snapshot.deepCopy();
        merged.put("businessUnitId", stored == null ? eventBu : storedBu);
        String kept = null;
        if (stored != null) {
            keepOrderCodes(stored, merged);
            StoreProgress.Verdict verdict = StoreProgress.reconcile(stored, merged);
            if (verdict.rejected()) {
                return new Result(Outcome.REJECTED_CONFLICT, null, verdict.conflict(), true);
            }
            kept = verdict.kept().isEmpty() ? null : String.join("; ", verdict.kept());
        }
        if (stored != null && stored.equals(merged)) {
            return new Result(Outcome.UNCHANGED, null, kept);
        }
        return new Result(Outcome.APPLIED, merged, kept);
    }

    private static void keepOrderCodes(JsonNode stored, ObjectNode merged) {
        Map<String, String> codes = new HashMap<>();
        for (JsonNode f : stored.path("fulfillments")) {
            if (f.hasNonNull("orderCode")) {
                codes.put(f.path("fulfillmentId").asText(), f.get("orderCode").asText());
            }
        }
        for (JsonNode f : merged.path("fulfillments")) {
            String code = codes.get(f.path("fulfillmentId").asText());
            if (code != null && !f.has("orderCode") && f instanceof ObjectNode object) {
                object.put("orderCode", code);
            }
        }
    }
}
