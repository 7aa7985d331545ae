package io.orderhub.proxy;

import io.orderhub.orders.OrderJson;
import io.orderhub.storage.SecretBox;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tenants' proxy configurations in PostgreSQL, sealed with the tenant as authenticated data. */
@Repository
public class ProxyConfigs {

    private final NamedParameterJdbcTemplate jdbc;
    private final SecretBox secrets;

    public ProxyConfigs(NamedParameterJdbcTemplate jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    public void save(String tenantId, ProxyConfig config) {
        jdbc.update(
                """
                INSERT INTO proxy_config (tenant_id, auth_type, sealed) VALUES (:t, :type, :sealed)
                ON CONFLICT (tenant_id) DO UPDATE SET auth_type = EXCLUDED.auth_type, sealed = EXCLUDED.sealed,
                    updated_at = now()
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("type", config.type())
                        .addValue(
                                "sealed", secrets.seal(OrderJson.write(config.configJson(false)), context(tenantId))));
    }

    public Optional<ProxyConfig> find(String tenantId) {
        return jdbc
                .query(
                        "SELECT auth_type, sealed FROM proxy_config WHERE tenant_id = :t",
                        new MapSqlParameterSource("t", tenantId),
                        (rs, n) -> ProxyConfig.of(
                                rs.getString("auth_type"),
                                OrderJson.parse(secrets.open(rs.getString("sealed"), context(tenantId)))))
                .stream()
                .findFirst();
    }

    /** Binds a sealed value to its tenant: copied into another tenant's row, it no longer opens. */
    private static String context(String tenantId) {
        return "proxy-config/" + tenantId;
    }
}
