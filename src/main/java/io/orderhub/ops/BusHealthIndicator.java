package io.orderhub.ops;

import io.orderhub.HubProperties;
import io.orderhub.ingest.EventBus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code bus} health contributor, part of readiness: UP while the bus ({@code hub.bus}) can take events, so a hub
 * that could only answer 503 to a PUT is taken out of the load balancer.
 */
@Component
public class BusHealthIndicator extends AbstractHealthIndicator {

    private final EventBus bus;
    private final String kind;

    public BusHealthIndicator(EventBus bus, HubProperties hub) {
        super("The bus cannot be checked");
        this.bus = bus;
        this.kind = hub.bus();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (bus.isAvailable()) {
            builder.up();
        } else {
            builder.down();
        }
        builder.withDetail("bus", kind);
    }
}
