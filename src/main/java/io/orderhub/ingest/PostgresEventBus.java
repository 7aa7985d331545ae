package io.orderhub.ingest;

import io.orderhub.HubProperties;
import io.orderhub.storage.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL bus: an accepted event is a committed row of {@code bus_event} before the 202; consumers take the
 * head event of an order under a per-order advisory lock, and delete the row in the transaction of its outcome.
 */
@Component("eventBus")
@ConditionalOnProperty(name = "hub.bus", havingValue = "postgres", matchIfMissing = true)
public class PostgresEventBus implements EventBus {

    /** Advisory lock namespace serialising accepts of one order, so its sequence follows commit order. */
    static final int ACCEPT_LOCK = 1;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final IdempotencyKeys idempotencyKeys;
    private final HubProperties hub;
    private final TransactionTemplate acceptTx;

    public PostgresEventBus(
            NamedParameterJdbcTemplate jdbc,
            TransactionTemplate tx,
            IdempotencyKeys idempotencyKeys,
            HubProperties hub) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.idempotencyKeys = idempotencyKeys;
        this.hub = hub;
        // the transaction's timeout bounds every statement of an accept by what is left of hub.events.accept-timeout:
        // a stuck database becomes a 503, not a hanging PUT
        this.acceptTx = new TransactionTemplate(tx.getTransactionManager());
        this.acceptTx.setTimeout((int) Math.max(1, hub.events().acceptTimeout().toSeconds()));
    }

    @Override
    public AcceptAnswer publish(OrderEvent event, IdempotencyKeys.Request idempotency) {
        return acceptTx.execute(status -> {
            // serialise accepts of this order so its sequence follows commit order
            jdbc.queryForObject(
                    "SELECT pg_advisory_xact_lock(" + ACCEPT_LOCK + ", hashtext(:t || '/' || :o))::text",
                    new MapSqlParameterSource("t", event.tenantId()).addValue("o", event.customerOrderId()),
                    String.class);
            if (idempotency != null) {
                Optional<AcceptAnswer> earlier = idempotencyKeys.claim(idempotency);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            jdbc.update(
                    """
                    INSERT INTO bus_event (seq, event_id, tenant_id, customer_order_id, business_unit_id, origin,
                        snapshot_time, event_time_given, payload, correlation_id, received_at)
                    VALUES (nextval('event_seq'), :eventId, :tenant, :order, :bu, :origin,
                        :snapshotTime, :eventTimeGiven, :payload, :correlationId, :receivedAt)
                    """,
                    new MapSqlParameterSource()
                            .addValue("eventId", event.eventId())
                            .addValue("tenant", event.tenantId())
                            .addValue("order", event.customerOrderId())
                            .addValue("bu", event.businessUnitId())
                            .addValue("origin", event.origin())
                            .addValue("snapshotTime", event.snapshotTime())
                            .addValue("eventTimeGiven", event.eventTimeGiven())
                            .addValue("payload", event.payload())
                            .addValue("correlationId", event.correlationId())
                            .addValue("receivedAt", event.receivedAt()));
            AcceptAnswer answer = AcceptAnswers.accepted(event);
            if (idempotency != null) {
                idempotencyKeys.complete(idempotency, answer);
            }
            return answer;
        });
    }

    @Override
    public boolean isAvailable() {
        try {
            jdbc.getJdbcTemplate().queryForObject("SELECT 1", Integer.class);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Backlog backlog() {
        return jdbc.getJdbcTemplate()
                .queryForObject(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(received_at)), 0) FROM bus_event",
                        (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)));
    }

    /**
     * The head events of orders with due work, taken fairly across tenants: up to {@code perTenant} candidates from each
     * tenant's backlog in sequence order, interleaved tenant by tenant, at most one per order. Read without locks;
     * {@link OrderLocks} decides who applies each.
     */
    public List<OrderEvent> dueHeads(int limit) {
        int perTenant = Math.max(limit, 1);
        List<OrderEvent> candidates = jdbc.query(
                """
                WITH RECURSIVE tenants AS (
                    (SELECT tenant_id FROM bus_event ORDER BY tenant_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT b.tenant_id FROM bus_event b WHERE b.tenant_id > t.tenant_id ORDER BY b.tenant_id LIMIT 1)
                    FROM tenants t WHERE t.tenant_id IS NOT NULL
                )
                SELECT e.*, row_number() OVER (PARTITION BY e.tenant_id ORDER BY e.seq) AS turn
                FROM tenants t
                CROSS JOIN LATERAL (
                    SELECT * FROM bus_event b
                    WHERE b.tenant_id = t.tenant_id AND b.next_attempt_at <= now()
                    ORDER BY b.seq LIMIT :perTenant
                ) e
                WHERE t.tenant_id IS NOT NULL
                ORDER BY turn, e.seq
                """,
                new MapSqlParameterSource("perTenant", perTenant),
                EVENT_ROW);
        Map<String, OrderEvent> firstPerOrder = new LinkedHashMap<>();
        for (OrderEvent e : candidates) {
            firstPerOrder.putIfAbsent(e.tenantId() + "/" + e.customerOrderId(), e);
            if (firstPerOrder.size() >= limit) {
                break;
            }
        }
        return new ArrayList<>(firstPerOrder.values());
    }

    /** The current head (lowest pending sequence) of an order's backlog, if it is due. */
    public Optional<OrderEvent> dueHeadOf(String tenantId, String customerOrderId) {
        return jdbc
                .query(
                        "SELECT * FROM bus_event WHERE tenant_id = :t AND customer_order_id = :o ORDER BY seq LIMIT 1",
                        new MapSqlParameterSource("t", tenantId).addValue("o", customerOrderId),
                        (rs, n) ->
                                rs.getTimestamp("next_attempt_at").toInstant().isAfter(java.time.Instant.now())
                                        ? null
                                        : EVENT_ROW.mapRow(rs, n))
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** Removes an applied event from the backlog, in the transaction of its outcome. */
    public boolean remove(long seq) {
        int n = jdbc.update("DELETE FROM bus_event WHERE seq = :seq", new MapSqlParameterSource("seq", seq));
        return n == 1;
    }

    /**
     * Puts an order's backlog off after a transient failure of its head: later events of the order wait too, so the
     * order's events stay in sequence.
     */
    public void retryLater(OrderEvent head, int attempts, Duration delay, String error) {
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plus(delay);
        jdbc.update(
                "UPDATE bus_event SET attempts = :a, last_error = :err WHERE seq = :seq",
                new MapSqlParameterSource("a", attempts).addValue("err", error).addValue("seq", head.seq()));
        jdbc.update(
                "UPDATE bus_event SET next_attempt_at = :next WHERE tenant_id = :t AND customer_order_id = :o",
                new MapSqlParameterSource("next", next)
                        .addValue("t", head.tenantId())
                        .addValue("o", head.customerOrderId()));
    }

    static final RowMapper<OrderEvent> EVENT_ROW = PostgresEventBus::mapEvent;

    private static OrderEvent mapEvent(ResultSet rs, int n) throws SQLException {
        return new OrderEvent(
                rs.getObject("event_id", UUID.class),
                rs.getLong("seq"),
                rs.getString("tenant_id"),
                rs.getString("customer_order_id"),
                rs.getString("business_unit_id"),
                rs.getString("origin"),
                Timestamps.utc(rs.getTimestamp("snapshot_time")),
                rs.getBoolean("event_time_given"),
                rs.getString("payload"),
                rs.getString("correlation_id"),
                Timestamps.utc(rs.getTimestamp("received_at")),
                rs.getInt("attempts"));
    }
}
