package io.orderhub.tenants;

import io.orderhub.HubProperties;
import io.orderhub.security.Tokens;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.stereotype.Component;

/** Ensures {@code hub.bootstrap.tenant} exists with {@code hub.bootstrap.api-key} as an admin key (quick starts, tests). */
@Component
public class TenantBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);

    public TenantBootstrap(HubProperties hub, TenantRepository tenants, FlywayMigrationInitializer schemaReadyFirst) {
        String tenantId = hub.bootstrap().tenant();
        if (tenantId == null || tenantId.isBlank()) {
            return;
        }
        if (tenants.find(tenantId).isEmpty()) {
            tenants.upsert(new Tenant(tenantId, "events", null, null, "EUR", "UTC"));
            log.info("Bootstrap tenant {} created", tenantId);
        }
        String apiKey = hub.bootstrap().apiKey();
        if (apiKey != null && !apiKey.isBlank()) {
            tenants.insertKey(new ApiKey(
                    Tokens.keyIdOf(apiKey),
                    tenantId,
                    Tokens.sha256(apiKey),
                    "bootstrap",
                    new LinkedHashSet<>(List.of("admin")),
                    null,
                    false,
                    null));
        }
    }
}
