package io.orderhub.ingest;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Pauses event consumption while the database is away, so waiting events are never dead-lettered for an outage. */
@Component("consumptionGate")
public class ConsumptionGate {

    private static final Logger log = LoggerFactory.getLogger(ConsumptionGate.class);

    private volatile Instant pausedUntil = Instant.MIN;
    private volatile boolean paused;

    public void pause(Duration duration, String reason) {
        pausedUntil = Instant.now().plus(duration);
        if (!paused) {
            paused = true;
            log.warn("Event consumption paused for {}: {}", duration, reason);
        }
    }

    public boolean isOpen() {
        return Instant.now().isAfter(pausedUntil);
    }

    /** Called after a successful poll: logs the end of a pause once. */
    public void resumed() {
        if (paused) {
            paused = false;
            log.info("Event consumption resumed");
        }
    }
}
