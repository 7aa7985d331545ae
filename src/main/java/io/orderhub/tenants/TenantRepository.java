package io.orderhub.tenants;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tenants and their API keys in PostgreSQL. */
@Repository
public class TenantRepository {

    private final NamedParameterJdbcTemplate jdbc;

    public TenantRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Tenant> find(String tenantId) {
        return jdbc
                .query(
                        "SELECT * FROM tenant WHERE tenant_id = :id",
                        new MapSqlParameterSource("id", tenantId),
                        (rs, n) -> new Tenant(
                                rs.getString("tenant_id"),
                                rs.getString("mode"),
                                rs.getString("proxy_base_url"),
                                rs.getString("polling"),
                                rs.getString("default_currency"),
                                rs.getString("time_zone")))
                .stream()
                .findFirst();
    }

    /** Inserts or updates the tenant; true when it was created. */
    public boolean upsert(Tenant t) {
        Boolean created = jdbc.queryForObject(
                """
                INSERT INTO tenant (tenant_id, mode, proxy_base_url, polling, default_currency, time_zone)
                VALUES (:id, :mode, :proxyBaseUrl, :polling, :currency, :tz)
                ON CONFLICT (tenant_id) DO UPDATE SET mode = EXCLUDED.mode, proxy_base_url = EXCLUDED.proxy_base_url,
                    polling = EXCLUDED.polling, default_currency = EXCLUDED.default_currency,
                    time_zone = EXCLUDED.time_zone, updated_at = now()
                RETURNING (xmax = 0)
                """,
                new MapSqlParameterSource()
                        .addValue("id", t.tenantId())
                        .addValue("mode", t.mode())
                        .addValue("proxyBaseUrl", t.proxyBaseUrl())
                        .addValue("polling", t.polling())
                        .addValue("currency", t.defaultCurrency())
                        .addValue("tz", t.timeZone()),
                Boolean.class);
        return Boolean.TRUE.equals(created);
    }

    public void insertKey(ApiKey key) {
        jdbc.update(
                """
                INSERT INTO api_key (key_id, tenant_id, secret_hash, name, roles, business_units)
                VALUES (:keyId, :tenant, :hash, :name, :roles, :bus)
                ON CONFLICT (key_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, secret_hash = EXCLUDED.secret_hash,
                    roles = EXCLUDED.roles, business_units = EXCLUDED.business_units, revoked_at = NULL
                """,
                new MapSqlParameterSource()
                        .addValue("keyId", key.keyId())
                        .addValue("tenant", key.tenantId())
                        .addValue("hash", key.secretHash())
                        .addValue("name", key.name())
                        .addValue("roles", key.roles().toArray(String[]::new))
                        .addValue(
                                "bus",
                                key.businessUnits() == null
                                        ? null
                                        : key.businessUnits().toArray(String[]::new)));
    }

    public Optional<ApiKey> findKey(String keyId) {
        return jdbc
                .query(
                        // the tenant's mode comes along: every request needs it, so no second query
                        "SELECT k.*, t.mode FROM api_key k JOIN tenant t USING (tenant_id) WHERE k.key_id = :id",
                        new MapSqlParameterSource("id", keyId),
                        (rs, n) -> new ApiKey(
                                rs.getString("key_id"),
                                rs.getString("tenant_id"),
                                rs.getBytes("secret_hash"),
                                rs.getString("name"),
                                new LinkedHashSet<>(strings(rs, "roles")),
                                rs.getArray("business_units") == null ? null : strings(rs, "business_units"),
                                rs.getTimestamp("revoked_at") != null,
                                rs.getString("mode")))
                .stream()
                .findFirst();
    }

    /** Revokes a key of this tenant; false when the tenant has no such key. */
    public boolean revokeKey(String tenantId, String keyId) {
        return jdbc.update(
                        "UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = :t AND key_id = :k",
                        new MapSqlParameterSource("t", tenantId).addValue("k", keyId))
                > 0;
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
