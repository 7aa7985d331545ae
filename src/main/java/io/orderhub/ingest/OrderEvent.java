package io.orderhub.ingest;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An accepted order snapshot on its way to the apply route. {@code seq} is the acceptance sequence (0 until the bus
 * has stored it); {@code payload} is the full {@code {"customerOrder": ...}} document.
 */
public record OrderEvent(
        UUID eventId,
        long seq,
        String tenantId,
        String customerOrderId,
        String businessUnitId,
        String origin,
        OffsetDateTime snapshotTime,
        boolean eventTimeGiven,
        String payload,
        String correlationId,
        OffsetDateTime receivedAt,
        int attempts) {

    /** Where the event came from: the OMS push or poll, a store, or the hub itself. */
    public enum Origin {
        OMS,
        STORE,
        HUB
    }
}
