package io.orderhub.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderhub.HubProperties;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub's one data source: an external PostgreSQL when {@code hub.db.url} is set, the embedded server otherwise. */
@Configuration(proxyBeanMethods = false)
public class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    /** Seals secrets at rest (proxy credentials) with hub.encryption-key, or a key generated in the data dir. */
    @Bean
    public SecretBox secretBox(HubProperties hub) {
        return SecretBox.fromSettings(hub.encryptionKey(), hub.db().external(), hub.dataDir());
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(HubProperties hub, EmbeddedDatabase embedded) throws IOException {
        HikariConfig config = new HikariConfig();
        HubProperties.Db db = hub.db();
        if (db.external()) {
            config.setJdbcUrl(db.url());
            config.setUsername(db.user());
            config.setPassword(db.password());
            log.info("Using external PostgreSQL at {}", redact(db.url()));
        } else {
            EmbeddedPostgresServer server = embedded.start(hub.dataDir().resolve("postgres"));
            config.setJdbcUrl(server.jdbcUrl());
            config.setUsername(server.user());
            config.setPassword(server.password());
        }
        config.setPoolName("hub-db");
        config.setMaximumPoolSize(db.poolSize());
        // a database outage must turn into a quick 503, not a request hanging for Hikari's default 30 s
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        // start even if the external database is briefly away; Flyway will fail clearly if it stays away
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    @Bean(destroyMethod = "close")
    public EmbeddedDatabase embeddedDatabase() {
        return new EmbeddedDatabase();
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    /**
     * Owns the embedded server so that Spring closes it after the data source (beans are destroyed in reverse
     * order of creation, and this one is created first).
     */
    public static final class EmbeddedDatabase implements AutoCloseable {
        private EmbeddedPostgresServer server;

        synchronized EmbeddedPostgresServer start(java.nio.file.Path dir) throws IOException {
            if (server == null) {
                server = EmbeddedPostgresServer.start(dir);
            }
            return server;
        }

        /** The running embedded server, or null when the hub uses an external database. */
        public synchronized EmbeddedPostgresServer server() {
            return server;
        }

        @Override
        public synchronized void close() {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
