package io.orderhub.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.ingest.EventBus;
import io.orderhub.orders.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's own metrics at {@code /actuator/prometheus}: events accepted and applied by outcome, the bus backlog and
 * dead letters. Counters are counted where things happen; backlog and open dead letters are read when scraped.
 */
@Component("hubMetrics")
public class HubMetrics {

    /** A backlog or dead-letter figure is reused this long, so scrapes cost at most one query each per period. */
    static final Duration READ_AT_MOST_EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(HubMetrics.class);

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter deadLettered;
    private final Map<String, Counter> applied = new ConcurrentHashMap<>();
    private final Cached<EventBus.Backlog> backlog;
    private final Cached<Long> openDeadLetters;

    public HubMetrics(MeterRegistry registry, ObjectProvider<EventBus> bus, NamedParameterJdbcTemplate jdbc) {
        this.registry = registry;
        accepted = Counter.builder("orderhub.events.accepted")
                .description("Events accepted (durable on the bus, answered 202)")
                .register(registry);
        deadLettered = Counter.builder("orderhub.dead.letters")
                .description("Events written to the dead-letter store")
                .register(registry);
        // every known outcome from the start, so rate() sees each series begin at zero
        for (Outcome outcome : Outcome.values()) {
            appliedCounter(outcome.name());
        }
        // the bus is looked up on the first scrape: it may itself count into these metrics
        backlog = new Cached<>("event backlog", () -> bus.getObject().backlog());
        openDeadLetters = new Cached<>(
                "open dead letters",
                () -> jdbc.queryForObject(
                        "SELECT count(*) FROM dead_letter WHERE status = 'OPEN'",
                        new MapSqlParameterSource(),
                        Long.class));
        Gauge.builder("orderhub.events.pending", backlog, b -> b.read(EventBus.Backlog::pending))
                .description("Events accepted but not yet applied")
                .register(registry);
        Gauge.builder("orderhub.events.oldest.age", backlog, b -> b.read(EventBus.Backlog::oldestAgeSeconds))
                .description("Age of the oldest event accepted but not yet applied")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("orderhub.dead.letters.open", openDeadLetters, d -> d.read(Long::doubleValue))
                .description("Dead letters neither replayed nor discarded")
                .register(registry);
    }

    /** An event was accepted: durable on the bus and answered 202. */
    public void accepted() {
        accepted.increment();
    }

    /** An event was applied with this outcome ({@link Outcome} name). */
    public void applied(String outcome) {
        appliedCounter(outcome == null ? "UNKNOWN" : outcome).increment();
    }

    /** An event was written to the dead-letter store. */
    public void deadLettered() {
        deadLettered.increment();
    }

    private Counter appliedCounter(String outcome) {
        return applied.computeIfAbsent(outcome, o -> Counter.builder("orderhub.events.applied")
                .description("Events applied, by outcome")
                .tag("outcome", o)
                .register(registry));
    }

    /** A value read from the database at most every {@link #READ_AT_MOST_EVERY}; NaN while it cannot be read. */
    private static final class Cached<T> {
        private final String what;
        private final Supplier<T> source;
        private T value;
        private long readAtNanos;
        private boolean read;

        Cached(String what, Supplier<T> source) {
            this.what = what;
            this.source = source;
        }

        synchronized double read(ToDoubleFunction<T> figure) {
            long now = System.nanoTime();
            if (!read || now - readAtNanos >= READ_AT_MOST_EVERY.toNanos()) {
                try {
                    value = source.get();
                } catch (RuntimeException e) {
                    // a scrape must still answer while the database is away; the gap shows as NaN
                    value = null;
                    log.debug("Cannot read {} for metrics: {}", what, e.toString());
                }
                readAtNanos = now;
                read = true;
            }
            return value == null ? Double.NaN : figure.applyAsDouble(value);
        }
    }
}
