package io.orderhub.outbound;

import io.orderhub.storage.SecretBox;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Webhook subscriptions in PostgreSQL, secrets sealed with the tenant and webhook id as authenticated data. */
@Repository
public class Subscriptions {

    private final NamedParameterJdbcTemplate jdbc;
    private final SecretBox secrets;

    public Subscriptions(NamedParameterJdbcTemplate jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    /** Creates or replaces; true when it was created. */
    public boolean save(Subscription s) {
        String context = context(s.tenantId(), s.webhookId());
        return Boolean.TRUE.equals(jdbc.queryForObject(
                """
                INSERT INTO webhook_subscription (tenant_id, webhook_id, url, event_types, origins, business_units,
                    auth_type, auth_username, sealed_auth, sealed_shared_key, enabled)
                VALUES (:t, :w, :url, :types, :origins, :bus, :authType, :username, :auth, :key, :enabled)
                ON CONFLICT (tenant_id, webhook_id) DO UPDATE SET url = EXCLUDED.url,
                    event_types = EXCLUDED.event_types, origins = EXCLUDED.origins,
                    business_units = EXCLUDED.business_units, auth_type = EXCLUDED.auth_type,
                    auth_username = EXCLUDED.auth_username, sealed_auth = EXCLUDED.sealed_auth,
                    sealed_shared_key = EXCLUDED.sealed_shared_key, enabled = EXCLUDED.enabled, updated_at = now()
                RETURNING (xmax = 0)
                """,
                new MapSqlParameterSource("t", s.tenantId())
                        .addValue("w", s.webhookId())
                        .addValue("url", s.url())
                        .addValue("types", s.eventTypes().toArray(String[]::new))
                        .addValue(
                                "origins",
                                s.origins() == null ? null : s.origins().toArray(String[]::new))
                        .addValue(
                                "bus",
                                s.businessUnits() == null
                                        ? null
                                        : s.businessUnits().toArray(String[]::new))
                        .addValue("authType", s.authType())
                        .addValue("username", s.authUsername())
                        .addValue("auth", s.authSecret() == null ? null : secrets.seal(s.authSecret(), context))
                        .addValue("key", secrets.seal(s.sharedKey(), context))
                        .addValue("enabled", s.enabled()),
                Boolean.class));
    }

    public Optional<Subscription> find(String tenantId, String webhookId) {
        return jdbc
                .query(
                        "SELECT * FROM webhook_subscription WHERE tenant_id = :t AND webhook_id = :w",
                        new MapSqlParameterSource("t", tenantId).addValue("w", webhookId),
                        this::map)
                .stream()
                .findFirst();
    }

    /** A subscription with the updated_at of the row it was read from. */
    public record Versioned(Subscription subscription, java.time.Instant updatedAt) {}

    public Optional<Versioned> findVersioned(String tenantId, String webhookId) {
        return jdbc
                .query(
                        "SELECT * FROM webhook_subscription WHERE tenant_id = :t AND webhook_id = :w",
                        new MapSqlParameterSource("t", tenantId).addValue("w", webhookId),
                        (rs, n) -> new Versioned(
                                map(rs, n), rs.getTimestamp("updated_at").toInstant()))
                .stream()
                .findFirst();
    }

    public List<Subscription> list(String tenantId) {
        return jdbc.query(
                "SELECT * FROM webhook_subscription WHERE tenant_id = :t ORDER BY webhook_id",
                new MapSqlParameterSource("t", tenantId),
                this::map);
    }

    /** Deletes the subscription and its journal. */
    public boolean delete(String tenantId, String webhookId) {
        return jdbc.update(
                        "DELETE FROM webhook_subscription WHERE tenant_id = :t AND webhook_id = :w",
                        new MapSqlParameterSource("t", tenantId).addValue("w", webhookId))
                == 1;
    }

    /**
     * An attempt failed: disables the subscription when it has had no successful delivery for {@code disableAfter}
     * (since its creation, if it never had one). True when this call disabled it.
     */
    public boolean disableIfFailingFor(String tenantId, String webhookId, java.time.Duration disableAfter) {
        return jdbc.update(
                        """
                        UPDATE webhook_subscription SET enabled = false, disabled_at = now(), updated_at = now()
                        WHERE tenant_id = :t AND webhook_id = :w AND enabled
                          AND COALESCE(last_success_at, created_at) < now() - make_interval(secs => :after)
                        """,
                        new MapSqlParameterSource("t", tenantId)
                                .addValue("w", webhookId)
                                .addValue("after", disableAfter.toMillis() / 1000.0))
                == 1;
    }

    private Subscription map(ResultSet rs, int n) throws SQLException {
        String tenantId = rs.getString("tenant_id");
        String webhookId = rs.getString("webhook_id");
        String context = context(tenantId, webhookId);
        String sealedAuth = rs.getString("sealed_auth");
        return new Subscription(
                tenantId,
                webhookId,
                rs.getString("url"),
                list(rs.getArray("event_types")),
                list(rs.getArray("origins")),
                list(rs.getArray("business_units")),
                rs.getString("auth_type"),
                rs.getString("auth_username"),
                sealedAuth == null ? null : secrets.open(sealedAuth, context),
                secrets.open(rs.getString("sealed_shared_key"), context),
                rs.getBoolean("enabled"));
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    private static String context(String tenantId, String webhookId) {
        return "webhook/" + tenantId + "/" + webhookId;
    }
}
