package io.orderhub.ingest;

import io.orderhub.ops.ProblemException;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} of writes: the first 2xx answer is kept with the key, in the transaction that made the
 * change, and a repeat within the retention window gets it again; the same key with another body is 422.
 */
@Component
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";

    private final NamedParameterJdbcTemplate jdbc;
    private final java.time.Duration window;

    public IdempotencyKeys(NamedParameterJdbcTemplate jdbc, io.orderhub.HubProperties hub) {
        this.jdbc = jdbc;
        this.window = hub.retention().idempotencyKeys();
    }

    /** One request's key: {@code scope} names the resource (e.g. the order), {@code requestHash} its content. */
    public record Request(String tenantId, String scope, String key, String requestHash) {}

    /** Checks a header value: 1–128 characters, or absent. */
    public static String checked(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        if (headerValue.isEmpty() || headerValue.length() > 128) {
            throw ProblemException.validation(java.util.List.of(
                    new io.orderhub.orders.Violation("/headers/Idempotency-Key", "must be 1 to 128 characters")));
        }
        return headerValue;
    }

    /**
     * Claims the key for this request inside the caller's transaction. Empty: the key is new, go ahead. Present: the
     * answer of the first request. A concurrent first request holds the row lock, so this waits for its outcome.
     */
    public Optional<AcceptAnswer> claim(Request r) {
        // a key older than the window is forgotten even before the retention sweep removes it
        jdbc.update(
                "DELETE FROM idempotency_key WHERE tenant_id = :t AND scope = :s AND idempotency_key = :k "
                        + "AND created_at < now() - make_interval(secs => :window)",
                params(r).addValue("window", window.toSeconds()));
        int inserted = jdbc.update(
                """
                INSERT INTO idempotency_key (tenant_id, scope, idempotency_key, request_hash, response_status, response_body)
                VALUES (:t, :s, :k, :h, 0, '')
                ON CONFLICT (tenant_id, scope, idempotency_key) DO NOTHING
                """,
                params(r));
        if (inserted == 1) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT request_hash, response_status, response_body, response_location FROM idempotency_key "
                                + "WHERE tenant_id = :t AND scope = :s AND idempotency_key = :k",
                        params(r),
                        (rs, n) -> {
                            if (!rs.getString("request_hash").equals(r.requestHash())) {
                                throw new ProblemException(
                                        422,
                                        "idempotency-key-reused",
                                        "Idempotency key reused",
                                        "this Idempotency-Key was used with a different request");
                            }
                            return new AcceptAnswer(
                                    rs.getInt("response_status"),
                                    rs.getString("response_body"),
                                    rs.getString("response_location"),
                                    true);
                        })
                .stream()
                .findFirst();
    }

    /** Records the answer for a claimed key, in the same transaction. */
    public void complete(Request r, AcceptAnswer answer) {
        jdbc.update(
                "UPDATE idempotency_key SET response_status = :st, response_body = :b, response_location = :l "
                        + "WHERE tenant_id = :t AND scope = :s AND idempotency_key = :k",
                params(r)
                        .addValue("st", answer.status())
                        .addValue("b", answer.body())
                        .addValue("l", answer.location()));
    }

    private static MapSqlParameterSource params(Request r) {
        return new MapSqlParameterSource()
                .addValue("t", r.tenantId())
                .addValue("s", r.scope())
                .addValue("k", r.key())
                .addValue("h", r.requestHash());
    }
}
