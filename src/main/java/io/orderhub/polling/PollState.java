package io.orderhub.polling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;
import io.orderhub.storage.Timestamps;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Each polling tenant's cursor and the course of its polls, in table poll_state. */
@Repository
public class PollState {

    /** Where the last complete poll left off. */
    public record Cursor(String value, String kind) {
        public static final Cursor START = new Cursor(null, null);
    }

    private final NamedParameterJdbcTemplate jdbc;

    public PollState(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Polling tenants whose next poll is due, oldest due first. */
    public List<String> dueTenants(int limit) {
        return jdbc.queryForList(
                """
                SELECT t.tenant_id FROM tenant t LEFT JOIN poll_state p USING (tenant_id)
                WHERE t.mode = 'polling' AND (p.next_poll_at IS NULL OR p.next_poll_at <= now())
                ORDER BY p.next_poll_at NULLS FIRST LIMIT :limit
                """,
                new MapSqlParameterSource("limit", limit),
                String.class);
    }

    /** True when the tenant polls and its next poll is due now (checked again once its poll lock is held). */
    public boolean isDue(String tenantId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                """
                SELECT EXISTS (SELECT 1 FROM tenant t LEFT JOIN poll_state p USING (tenant_id)
                               WHERE t.tenant_id = :t AND t.mode = 'polling'
                                 AND (p.next_poll_at IS NULL OR p.next_poll_at <= now()))
                """,
                new MapSqlParameterSource("t", tenantId),
                Boolean.class));
    }

    public Cursor cursor(String tenantId) {
        return jdbc
                .query(
                        "SELECT cursor, cursor_kind FROM poll_state WHERE tenant_id = :t",
                        new MapSqlParameterSource("t", tenantId),
                        (rs, n) -> new Cursor(rs.getString("cursor"), rs.getString("cursor_kind")))
                .stream()
                .findFirst()
                .orElse(Cursor.START);
    }

    /** A complete poll: the new cursor and its result; the next poll after {@code interval}. */
    public void succeeded(String tenantId, Cursor cursor, String result, Duration interval) {
        jdbc.update(
                """
                INSERT INTO poll_state (tenant_id, cursor, cursor_kind, last_poll_at, last_result, consecutive_failures,
                    failing_since, next_poll_at)
                VALUES (:t, :cursor, :kind, now(), :result, 0, NULL, now() + make_interval(secs => :interval))
                ON CONFLICT (tenant_id) DO UPDATE SET cursor = EXCLUDED.cursor, cursor_kind = EXCLUDED.cursor_kind,
                    last_poll_at = EXCLUDED.last_poll_at, last_result = EXCLUDED.last_result, consecutive_failures = 0,
                    failing_since = NULL, next_poll_at = EXCLUDED.next_poll_at
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("cursor", cursor.value())
                        .addValue("kind", cursor.kind())
                        .addValue("result", result)
                        .addValue("interval", interval.toMillis() / 1000.0));
    }

    /**
     * A failed poll: the cursor stays, the next poll waits {@code backoff}; returns since when polling has been
     * failing (this failure's time when it is the first).
     */
    public OffsetDateTime failed(String tenantId, String result, Duration backoff) {
        return jdbc.queryForObject(
                """
                INSERT INTO poll_state (tenant_id, last_poll_at, last_result, consecutive_failures, failing_since,
                    next_poll_at)
                VALUES (:t, now(), :result, 1, now(), now() + make_interval(secs => :backoff))
                ON CONFLICT (tenant_id) DO UPDATE SET last_poll_at = now(), last_result = EXCLUDED.last_result,
                    consecutive_failures = poll_state.consecutive_failures + 1,
                    failing_since = COALESCE(poll_state.failing_since, now()), next_poll_at = EXCLUDED.next_poll_at
                RETURNING failing_since
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("result", result)
                        .addValue("backoff", backoff.toMillis() / 1000.0),
                (rs, n) -> Timestamps.utc(rs.getTimestamp(1)));
    }

    public int consecutiveFailures(String tenantId) {
        return jdbc
                .queryForList(
                        "SELECT consecutive_failures FROM poll_state WHERE tenant_id = :t",
                        new MapSqlParameterSource("t", tenantId),
                        Integer.class)
                .stream()
                .findFirst()
                .orElse(0);
    }

    /** What GET of the tenant shows: the cursor, the last poll's time and result; empty before the first poll. */
    public Optional<ObjectNode> describe(String tenantId) {
        return jdbc
                .query(
                        "SELECT * FROM poll_state WHERE tenant_id = :t",
                        new MapSqlParameterSource("t", tenantId),
                        (rs, n) -> {
                            ObjectNode s = OrderJson.MAPPER.createObjectNode();
                            s.put("cursor", rs.getString("cursor"));
                            s.put("cursorKind", rs.getString("cursor_kind"));
                            s.put("lastPollAt", Timestamps.rfc3339(rs.getTimestamp("last_poll_at")));
                            s.put("lastResult", rs.getString("last_result"));
                            s.put("consecutiveFailures", rs.getInt("consecutive_failures"));
                            s.put("nextPollAt", Timestamps.rfc3339(rs.getTimestamp("next_poll_at")));
                            return s;
                        })
                .stream()
                .findFirst();
    }
}
