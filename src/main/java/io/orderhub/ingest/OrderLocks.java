package io.orderhub.ingest;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Claims an order for applying one of its events: a transaction-scoped advisory lock per order, so two consumers (in
 * this or another hub instance) never work on events of the same order at once, while other orders go in parallel.
 */
@Component("orderLocks")
public class OrderLocks {

    /** Advisory lock namespace of applying (apart from {@link PostgresEventBus#ACCEPT_LOCK}, so accepts never wait). */
    static final int APPLY_LOCK = 2;

    /** Exchange property: true when this exchange holds the order and should apply its body. */
    public static final String CLAIMED = "claimed";

    /** Exchange property naming where the event came from: {@code postgres-bus}, {@code pubsub} or {@code replay}. */
    public static final String SOURCE = "eventSource";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectProvider<PostgresEventBus> postgresBus;

    public OrderLocks(NamedParameterJdbcTemplate jdbc, ObjectProvider<PostgresEventBus> postgresBus) {
        this.jdbc = jdbc;
        this.postgresBus = postgresBus;
    }

    /**
     * Takes the order of the exchange's event inside the current transaction. An event from the PostgreSQL bus is
     * skipped when another consumer holds its order, and replaced by the order's true head if that changed meanwhile.
     */
    public void claim(Exchange exchange) {
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        // start from a clean slate: an exchange copied from another must not carry its outcome or duplicate flag
        exchange.getIn().removeHeaders("*");
        exchange.removeProperty(Exchange.DUPLICATE_MESSAGE);
        exchange.removeProperty(CLAIMED);
        MapSqlParameterSource key =
                new MapSqlParameterSource("t", event.tenantId()).addValue("o", event.customerOrderId());
        if ("postgres-bus".equals(exchange.getProperty(SOURCE))) {
            Boolean got = jdbc.queryForObject(
                    "SELECT pg_try_advisory_xact_lock(" + APPLY_LOCK + ", hashtext(:t || '/' || :o))",
                    key,
                    Boolean.class);
            // The head is read in a second statement on purpose: in READ COMMITTED a statement sees the snapshot
            // taken when it started, so a head read in the same statement as the lock can predate the commit of the
            // consumer that just released the lock, and would hand out an event that is already applied.
            Optional<OrderEvent> head = Boolean.TRUE.equals(got)
                    ? postgresBus.getObject().dueHeadOf(event.tenantId(), event.customerOrderId())
                    : Optional.empty();
            exchange.setProperty(CLAIMED, head.isPresent());
            AtomicInteger claims = exchange.getProperty(EventFeed.CLAIMS, AtomicInteger.class);
            if (claims != null && head.isPresent()) {
                claims.incrementAndGet();
            }
            head.ifPresent(h -> exchange.getIn().setBody(h));
            head.ifPresent(h -> Events.describe(exchange, h));
            return;
        }
        jdbc.queryForObject(
                "SELECT pg_advisory_xact_lock(" + APPLY_LOCK + ", hashtext(:t || '/' || :o))::text", key, String.class);
        exchange.setProperty(CLAIMED, true);
        Events.describe(exchange, event);
    }

    /**
     * Holds order {@code customerOrderId} until the current transaction ends, waiting for an event being applied or
     * another operation on it (a store operation): two writers of one order never lose each other's update. Reads of
     * the order must come after this, in later statements.
     */
    public void hold(String tenantId, String customerOrderId) {
        // an apply holds an order for milliseconds; waiting longer than this means something is stuck, and the
        // caller gets a 503 to retry rather than a request hanging for ever (lock_timeout fails with SQLSTATE 55P03)
        jdbc.queryForObject("SELECT set_config('lock_timeout', '5s', true)", new MapSqlParameterSource(), String.class);
        jdbc.queryForObject(
                "SELECT pg_advisory_xact_lock(" + APPLY_LOCK + ", hashtext(:t || '/' || :o))::text",
                new MapSqlParameterSource("t", tenantId).addValue("o", customerOrderId),
                String.class);
    }
}
