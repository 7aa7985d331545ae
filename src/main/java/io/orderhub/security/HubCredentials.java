package io.orderhub.security;

import io.orderhub.HubProperties;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The operator token and the ops password: taken from settings, or generated on the first start, printed that once and
 * kept only as hashes in {@code hub_secret}.
 */
@Component
public class HubCredentials {

    private static final Logger log = LoggerFactory.getLogger(HubCredentials.class);

    private final byte[] adminTokenHash;
    private final String opsUser;
    private final String opsPasswordBcrypt;
    private final String scrapeTokenHash;

    public HubCredentials(
            HubProperties hub, NamedParameterJdbcTemplate jdbc, FlywayMigrationInitializer schemaReadyFirst) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        if (hub.adminToken() != null && !hub.adminToken().isBlank()) {
            adminTokenHash = Tokens.sha256(hub.adminToken());
        } else {
            adminTokenHash = HexFormat.of()
                    .parseHex(storedOrGenerated(
                            jdbc, "admin-token", "operator token (hub.admin-token)", Tokens::sha256Hex));
        }
        opsUser = hub.ops().user();
        if (hub.ops().password() != null && !hub.ops().password().isBlank()) {
            opsPasswordBcrypt = bcrypt.encode(hub.ops().password());
        } else {
            opsPasswordBcrypt = storedOrGenerated(
                    jdbc, "ops-password", "ops password for user '" + opsUser + "' (hub.ops.password)", bcrypt::encode);
        }
        String scrape = hub.ops().scrapeToken();
        scrapeTokenHash = scrape == null || scrape.isBlank() ? null : Tokens.sha256Hex(scrape);
    }

    private static String storedOrGenerated(
            NamedParameterJdbcTemplate jdbc,
            String name,
            String what,
            java.util.function.Function<String, String> hasher) {
        String secret = Tokens.randomSecret();
        int inserted = jdbc.update(
                "INSERT INTO hub_secret (name, hash) VALUES (:name, :hash) ON CONFLICT (name) DO NOTHING",
                new MapSqlParameterSource("name", name).addValue("hash", hasher.apply(secret)));
        if (inserted == 1) {
            // printed once: only its hash is stored, so nobody can show it again
            log.warn("Generated {}: {}  (shown this once; set it in configuration to choose your own)", what, secret);
        }
        return jdbc.queryForObject(
                "SELECT hash FROM hub_secret WHERE name = :name",
                new MapSqlParameterSource("name", name),
                String.class);
    }

    public boolean isAdminToken(String presented) {
        return Tokens.matches(presented, adminTokenHash);
    }

    public boolean isScrapeToken(String presented) {
        return scrapeTokenHash != null
                && presented != null
                && java.security.MessageDigest.isEqual(
                        Tokens.sha256Hex(presented).getBytes(), scrapeTokenHash.getBytes());
    }

    public String opsUser() {
        return opsUser;
    }

    /** The ops password as a bcrypt hash, for Spring Security's user store. */
    public String opsPasswordBcrypt() {
        return opsPasswordBcrypt;
    }
}
