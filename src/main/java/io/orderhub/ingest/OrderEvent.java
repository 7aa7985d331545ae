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

    /** The same event with its acceptance sequence. */
    public OrderEvent withSeq(long sequence) {
        return copy(sequence, attempts);
    }

    /** The same event after this many failed attempts. */
    public OrderEvent withAttempts(int failedAttempts) {
        return copy(seq, failedAttempts);
    }

    private OrderEvent copy(long sequence, int failedAttempts) {
        return new OrderEvent(
                eventId,
                sequence,
                tenantId,
                customerOrderId,
                businessUnitId,
                origin,
                snapshotTime,
                eventTimeGiven,
                payload,
                correlationId,
                receivedAt,
                failedAttempts);
    }

    /** Where the event came from: the OMS push or poll, a store, or the hub itself. */
    public enum Origin {
        OMS,
        STORE,
        HUB
    }
}
