package io.orderhub.security;

import io.orderhub.ops.HttpExchanges;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/** Who is calling: the API key's tenant, roles and business-unit restriction, set by the web security layer. */
public record Caller(
        String tenantId, String keyId, String name, Set<String> roles, List<String> businessUnits, String tenantMode) {

    /** Request attribute under which the security filter leaves the caller for the routes. */
    public static final String ATTRIBUTE = "orderhub.caller";

    public boolean hasAnyRole(Set<String> wanted) {
        return roles.contains("admin") || wanted.stream().anyMatch(roles::contains);
    }

    /** True when this caller may act as business unit {@code bu}: unrestricted keys may act as any. */
    public boolean mayActAs(String bu) {
        return businessUnits == null || businessUnits.isEmpty() || businessUnits.contains(bu);
    }

    /** Who did it, for history: the key's name when it has one, else its id. */
    public String actor() {
        return name != null && !name.isBlank() ? name : "key:" + keyId;
    }

    public static Caller of(HttpServletRequest request) {
        Object caller = request.getAttribute(ATTRIBUTE);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }

    /** The caller of the HTTP request behind a platform-http exchange (routes run on another thread). */
    public static Caller of(Exchange exchange) {
        Caller cached = exchange.getProperty(ATTRIBUTE, Caller.class);
        if (cached != null) {
            return cached;
        }
        Caller caller = of(HttpExchanges.request(exchange));
        exchange.setProperty(ATTRIBUTE, caller);
        return caller;
    }
}
