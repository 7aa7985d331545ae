package io.orderhub.tenants;

/** A tenant: one retailer's OMS connection and its settings. */
public record Tenant(
        String tenantId, String mode, String proxyBaseUrl, String polling, String defaultCurrency, String timeZone) {

    public static final java.util.Set<String> MODES = java.util.Set.of("events", "proxy", "polling", "migrating");

    /** True when reads and writes go to the OMS instead of the store. */
    public boolean proxied() {
        return "proxy".equals(mode);
    }
}
