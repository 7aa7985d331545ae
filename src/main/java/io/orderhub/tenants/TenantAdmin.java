package io.orderhub.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.Violation;
import io.orderhub.security.Tokens;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The operator API (api.md): tenants and their API keys. */
@Component("tenantAdmin")
public class TenantAdmin {

    private static final Pattern TENANT_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final Pattern BU = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final Set<String> ROLES = Set.of("oms", "store", "admin");
    private static final Set<String> TENANT_FIELDS =
            Set.of("mode", "proxyBaseUrl", "polling", "defaultCurrency", "timeZone");

    private final TenantRepository tenants;
    private final io.orderhub.security.SsrfGuard proxyTargets;
    private final io.orderhub.polling.PollState pollState;

    public TenantAdmin(
            TenantRepository tenants, io.orderhub.proxy.OmsGuards guards, io.orderhub.polling.PollState pollState) {
        this.tenants = tenants;
        this.proxyTargets = guards.proxy();
        this.pollState = pollState;
    }

    /** {@code PUT /admin/v1/tenants/{tenantId}}: 201 created or 200 updated. */
    public void put(Exchange exchange) {
        String tenantId = tenantId(exchange);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        JsonNode body = raw == null || raw.length == 0 ? OrderJson.MAPPER.createObjectNode() : OrderJson.parse(raw);
        List<Violation> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!TENANT_FIELDS.contains(f)) {
                errors.add(new Violation("/" + f, "is not allowed (unknown field)"));
            }
        });
        String mode = text(body, "mode", "events", errors);
        if (mode != null && !Tenant.MODES.contains(mode)) {
            errors.add(new Violation("/mode", "must be one of events, proxy, polling, migrating"));
        }
        String currency = text(body, "defaultCurrency", "EUR", errors);
        if (currency != null && !currency.matches("^[A-Z]{3}$")) {
            errors.add(new Violation("/defaultCurrency", "must be an ISO 4217 code such as EUR"));
        }
        String timeZone = text(body, "timeZone", "UTC", errors);
        if (timeZone != null) {
            try {
                // IANA names only (Europe/Stockholm, UTC): fixed offsets would ignore daylight saving
                if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
                    throw new DateTimeException("not a region");
                }
            } catch (DateTimeException e) {
                errors.add(new Violation("/timeZone", "must be an IANA time zone such as Europe/Stockholm"));
            }
        }
        String proxyBaseUrl = text(body, "proxyBaseUrl", null, errors);
        if (proxyBaseUrl != null && !proxyBaseUrl.matches("^https?://[^\\s/?#]+(/[^\\s?#]*)?$")) {
            errors.add(new Violation("/proxyBaseUrl", "must be an http or https URL without query or fragment"));
        } else if (proxyBaseUrl != null) {
            // the SSRF guard: the hub must not be made to call its own network on a tenant's behalf
            proxyTargets
                    .problemWith(proxyBaseUrl, true)
                    .ifPresent(problem -> errors.add(new Violation("/proxyBaseUrl", problem)));
        }
        JsonNode polling = body.get("polling");
        if (polling != null && !polling.isNull() && !polling.isObject()) {
            errors.add(new Violation("/polling", "must be an object"));
        } else if (polling != null && polling.isObject()) {
            errors.addAll(io.orderhub.polling.PollingSettings.check(polling));
        }
        if ("polling".equals(mode) && proxyBaseUrl == null) {
            errors.add(
                    new Violation("/proxyBaseUrl", "is required in polling mode (where the OMS is asked for changes)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Tenant tenant = new Tenant(
                tenantId,
                mode,
                proxyBaseUrl,
                polling == null || polling.isNull() ? null : polling.toString(),
                currency,
                timeZone);
        boolean created = tenants.upsert(tenant);
        HttpAnswers.set(
                exchange,
                created ? 201 : 200,
                json(tenant).toString(),
                created ? "/admin/v1/tenants/" + tenantId : null);
    }

    public void get(Exchange exchange) {
        String tenantId = tenantId(exchange);
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ProblemException.notFound("no tenant " + tenantId));
        ObjectNode body = json(tenant);
        // polling: the cursor, the last poll's time and result (api.md "Polling mode")
        pollState.describe(tenantId).ifPresent(state -> body.set("pollState", state));
        HttpAnswers.set(exchange, 200, body.toString(), null);
    }

    /** {@code POST .../api-keys}: 201 with the key, shown this once. */
    public void createKey(Exchange exchange) {
        String tenantId = tenantId(exchange);
        tenants.find(tenantId).orElseThrow(() -> ProblemException.notFound("no tenant " + tenantId));
        JsonNode body = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        List<Violation> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!Set.of("roles", "businessUnits", "name").contains(f)) {
                errors.add(new Violation("/" + f, "is not allowed (unknown field)"));
            }
        });
        Set<String> roles = new LinkedHashSet<>();
        JsonNode r = body.path("roles");
        if (!r.isArray() || r.isEmpty()) {
            errors.add(new Violation("/roles", "is required: a non-empty list of oms, store, admin"));
        } else {
            for (int i = 0; i < r.size(); i++) {
                if (!r.get(i).isTextual() || !ROLES.contains(r.get(i).asText())) {
                    errors.add(new Violation("/roles/" + i, "must be one of oms, store, admin"));
                } else {
                    roles.add(r.get(i).asText());
                }
            }
        }
        List<String> businessUnits = null;
        JsonNode b = body.get("businessUnits");
        if (b != null && !b.isNull()) {
            if (!b.isArray() || b.isEmpty()) {
                // an empty list would read as "no restriction": a store key must name its store
                errors.add(new Violation("/businessUnits", "must be a non-empty list of business unit ids, or absent"));
            } else {
                businessUnits = new ArrayList<>();
                for (int i = 0; i < b.size(); i++) {
                    if (!b.get(i).isTextual() || !BU.matcher(b.get(i).asText()).matches()) {
                        errors.add(new Violation("/businessUnits/" + i, "must be 1 to 128 of A-Z a-z 0-9 . _ -"));
                    } else {
                        businessUnits.add(b.get(i).asText());
                    }
                }
            }
        }
        String name = text(body, "name", null, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String keyId = Tokens.randomId();
        String apiKey = Tokens.newApiKey(keyId);
        tenants.insertKey(new ApiKey(keyId, tenantId, Tokens.sha256(apiKey), name, roles, businessUnits, false, null));
        ObjectNode answer = OrderJson.MAPPER.createObjectNode();
        answer.put("keyId", keyId);
        answer.put("apiKey", apiKey);
        ArrayNode rolesOut = answer.putArray("roles");
        roles.forEach(rolesOut::add);
        if (businessUnits != null) {
            ArrayNode busOut = answer.putArray("businessUnits");
            businessUnits.forEach(busOut::add);
        } else {
            answer.putNull("businessUnits");
        }
        if (name != null) {
            answer.put("name", name);
        }
        HttpAnswers.set(exchange, 201, answer.toString(), "/admin/v1/tenants/" + tenantId + "/api-keys/" + keyId);
    }

    public void revokeKey(Exchange exchange) {
        String tenantId = tenantId(exchange);
        String keyId = exchange.getIn().getHeader("keyId", String.class);
        if (!tenants.revokeKey(tenantId, keyId)) {
            throw ProblemException.notFound("tenant " + tenantId + " has no key " + keyId);
        }
        HttpAnswers.noContent(exchange);
    }

    private static String tenantId(Exchange exchange) {
        String id = exchange.getIn().getHeader("tenantId", String.class);
        if (id == null || !TENANT_ID.matcher(id).matches()) {
            throw ProblemException.validation(
                    List.of(new Violation("/path/tenantId", "must be 1 to 64 of A-Z a-z 0-9 . _ -")));
        }
        return id;
    }

    private static String text(JsonNode body, String field, String dflt, List<Violation> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            errors.add(new Violation("/" + field, "must be a string"));
            return null;
        }
        return v.asText();
    }

    static ObjectNode json(Tenant t) {
        ObjectNode n = OrderJson.MAPPER.createObjectNode();
        n.put("tenantId", t.tenantId());
        n.put("mode", t.mode());
        if (t.proxyBaseUrl() != null) {
            n.put("proxyBaseUrl", t.proxyBaseUrl());
        }
        if (t.polling() != null) {
            n.set("polling", OrderJson.parse(t.polling()));
        }
        n.put("defaultCurrency", t.defaultCurrency());
        n.put("timeZone", t.timeZone());
        return n;
    }
}
