package io.orderhub.ingest;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The apply route's idempotent repository: an event id is written in the route's own transaction, so it is committed
 * together with the event's outcome or not at all (Camel's JDBC repository would commit it on its own). Uses
 * {@code ON CONFLICT DO NOTHING}: on PostgreSQL a failed insert would abort the surrounding transaction.
 */
@Component("processedEvents")
public class ProcessedEventRepository extends ServiceSupport implements IdempotentRepository {

    private static final String PROCESSOR = "order-event-apply";

    private final NamedParameterJdbcTemplate jdbc;

    public ProcessedEventRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the id; false when it was recorded before (a redelivery). */
    @Override
    public boolean add(String eventId) {
        return jdbc.update(
                        "INSERT INTO processed_event (processor_name, event_id) VALUES (:p, :id) ON CONFLICT DO NOTHING",
                        params(eventId))
                == 1;
    }

    @Override
    public boolean contains(String eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM processed_event WHERE processor_name = :p AND event_id = :id)",
                params(eventId),
                Boolean.class));
    }

    /** Nothing to undo: a failed event's record goes with the rollback of the transaction that wrote it. */
    @Override
    public boolean remove(String eventId) {
        return false;
    }

    @Override
    public boolean confirm(String eventId) {
        return true;
    }

    /** Refused: clearing would let every redelivery apply again. */
    @Override
    public void clear() {
        throw new UnsupportedOperationException("processed events are kept until retention removes them");
    }

    private static MapSqlParameterSource params(String eventId) {
        return new MapSqlParameterSource("p", PROCESSOR).addValue("id", eventId);
    }
}
