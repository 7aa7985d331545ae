package io.orderhub.ingest;

/**
 * The seam between accepting an event and applying it. {@link #publish} returns only once the event is durable (a
 * committed row, or an acknowledged Pub/Sub publish); consumers acknowledge only after the event's outcome is
 * committed. {@code hub.bus} chooses the implementation.
 */
public interface EventBus {

    /**
     * Makes the event durable and returns the answer to give the client. With an idempotency key, a repeat of the same
     * request returns the first answer without publishing again.
     */
    AcceptAnswer publish(OrderEvent event, IdempotencyKeys.Request idempotency);

    /** True when the bus can take events now (readiness). */
    boolean isAvailable();

    /** Events accepted but not yet applied, and the age in seconds of the oldest (metrics and EVENT_AGING). */
    Backlog backlog();

    /** The size and age of the backlog. */
    record Backlog(long pending, double oldestAgeSeconds) {}
}
