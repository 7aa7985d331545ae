package io.orderhub.ingest;

import io.orderhub.HubProperties;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Feeds the PostgreSQL bus's due events to the consume route, unless consumption is paused for an outage. (With
 * {@code hub.bus=pubsub} the route does not start, and this feeds nothing.)
 */
@Component("eventFeed")
public class EventFeed {

    private final ObjectProvider<PostgresEventBus> bus;
    private final ConsumptionGate gate;
    private final HubProperties hub;

    public EventFeed(ObjectProvider<PostgresEventBus> bus, ConsumptionGate gate, HubProperties hub) {
        this.bus = bus;
        this.gate = gate;
        this.hub = hub;
    }

    /** Exchange property: how many of the round's events consumers claimed ({@link #settle}). */
    static final String CLAIMS = "eventClaims";

    /** Exchange property: the round took as many events as a round may, so more are likely waiting. */
    static final String FULL = "eventRoundFull";

    /** The head events of due orders, fairly across tenants; empty while paused or when the database is away. */
    public List<OrderEvent> due(Exchange exchange) {
        exchange.setProperty(OrderLocks.SOURCE, "postgres-bus");
        // the split's copies of the exchange share this counter: OrderLocks counts each event it hands to a consumer
        exchange.setProperty(CLAIMS, new AtomicInteger());
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
        PostgresEventBus bus = this.bus.getIfAvailable();
        if (bus == null || !gate.isOpen()) {
            return List.of();
        }
        try {
            List<OrderEvent> due = bus.dueHeads(hub.events().batchSize());
            exchange.setProperty(FULL, due.size() >= hub.events().batchSize());
            gate.resumed();
            return due;
        } catch (RuntimeException e) {
            if (Failures.classify(e) == Failures.Kind.DATABASE_OUTAGE) {
                gate.pause(hub.events().outagePause(), Failures.describe(e));
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Tells the scheduler whether to poll again at once (greedy) instead of after {@code hub.events.poll-delay-millis}:
     * when the round was full (a backlog is waiting) and consumers claimed at least one of its events. A round that
     * was not full has drained what was due, and the delay gathers the next events into one round instead of polling
     * for each as it comes (measured: polling back to back under a trickle of changes took CPU from webhook delivery).
     * Claimed, not merely seen: events held by another instance's consumers, or put off after a failure, must not
     * make this one poll in a tight loop.
     */
    public void settle(Exchange exchange) {
        AtomicInteger claims = exchange.getProperty(CLAIMS, AtomicInteger.class);
        boolean full = Boolean.TRUE.equals(exchange.getProperty(FULL, Boolean.class));
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, full && claims != null && claims.get() > 0);
    }
}
