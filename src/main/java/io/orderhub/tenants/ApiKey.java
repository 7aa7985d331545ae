package io.orderhub.tenants;

import java.util.List;
import java.util.Set;

/** A stored API key: only the hash of its secret is kept. */
public record ApiKey(
        String keyId,
        String tenantId,
        byte[] secretHash,
        String name,
        Set<String> roles,
        List<String> businessUnits,
        boolean revoked,
        String tenantMode) {}
