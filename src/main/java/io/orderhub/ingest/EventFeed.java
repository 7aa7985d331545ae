package io.orderhub.ingest;

import io.orderhub.HubProperties;
import java.util.List;
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

    /** The head events of due orders, fairly across tenants; empty while paused or when the database is away. */
    public List<OrderEvent> due(Exchange exchange) {
        exchange.setProperty(OrderLocks.SOURCE, "postgres-bus");
        PostgresEventBus bus = this.bus.getIfAvailable();
        if (bus == null || !gate.isOpen()) {
            return List.of();
        }
        try {
            List<OrderEvent> due = bus.dueHeads(hub.events().batchSize());
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
}
