package io.orderhub.security;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which roles each API endpoint needs (api.md). Kept here, in the web security layer, so that editing a YAML route can
 * never remove a check. Paths not listed need only a valid key and end in 404 if they do not exist.
 */
public final class EndpointAccess {

    private static final String SEG = "[^/]+";
    private static final String BU_ORDERS = "/api/v1/business-units/" + SEG + "/customer-orders";
    private static final Pattern BUSINESS_UNIT_PATH = Pattern.compile("^/api/v1/business-units/([^/]+)(/.*)?$");

    private record Rule(String method, Pattern path, Set<String> roles) {}

    private static final List<Rule> RULES = List.of(
            rule("PUT", BU_ORDERS + "/" + SEG, "oms"),
            rule("GET", BU_ORDERS + "/" + SEG, "oms", "store"),
            rule("POST", BU_ORDERS + ":search", "oms", "store"),
            rule("POST", BU_ORDERS, "store"),
            rule("POST", "/api/v1/business-units/" + SEG + "/poslogs", "store"),
            rule("POST", BU_ORDERS + "/" + SEG + "/fulfillments/" + SEG, "store"),
            rule("GET", BU_ORDERS + "/" + SEG + "/history", "oms"),
            rule("*", "/api/v1/proxy-config", "admin"),
            rule("*", "/api/v1/webhooks(/.*)?", "admin"),
            rule("*", "/api/v1/webhooks:.*", "admin"),
            rule("*", "/api/v1/dead-letters(/.*)?", "admin"));

    private EndpointAccess() {}

    private static Rule rule(String method, String regex, String... roles) {
        return new Rule(method, Pattern.compile("^" + regex + "$"), Set.of(roles));
    }

    /** The roles any one of which may call {@code method path}; admin may always. Empty: any valid key. */
    public static Set<String> rolesFor(String method, String path) {
        for (Rule r : RULES) {
            if ((r.method.equals("*") || r.method.equals(method))
                    && r.path.matcher(path).matches()) {
                return r.roles;
            }
        }
        return Set.of();
    }

    /** The {@code {bu}} of a business-unit path, or null. */
    public static String businessUnitOf(String path) {
        Matcher m = BUSINESS_UNIT_PATH.matcher(path);
        return m.matches() ? m.group(1) : null;
    }
}
