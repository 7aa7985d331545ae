package io.orderhub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.Violation;
import io.orderhub.security.Caller;
import io.orderhub.security.SsrfGuard;
import io.orderhub.tenants.TenantRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code PUT/GET /api/v1/proxy-config} (admin role): how the hub authenticates to the caller's tenant's OMS. A PUT is
 * checked whole before anything is stored, so a refused one leaves the previous configuration in force; a GET never
 * shows a secret.
 */
@Component("proxyConfigApi")
public class ProxyConfigApi {

    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "basic", Set.of("username", "password"),
            "oauth2", Set.of("clientId", "clientSecret", "authUrl"));
    private static final Map<String, Set<String>> OPTIONAL = Map.of(
            "basic", Set.of(),
            "oauth2", Set.of("scope", "audience"));

    private final ProxyConfigs configs;
    private final TenantRepository tenants;
    private final SsrfGuard guard;
    private final OmsTokens tokens;

    public ProxyConfigApi(ProxyConfigs configs, TenantRepository tenants, OmsGuards guards, OmsTokens tokens) {
        this.configs = configs;
        this.tenants = tenants;
        this.guard = guards.proxy();
        this.tokens = tokens;
    }

    public void put(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        JsonNode body = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        List<Violation> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("type") && !f.equals("config")) {
                errors.add(new Violation("/" + f, "is not allowed (unknown field)"));
            }
        });
        JsonNode typeNode = body.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        if (type == null || !REQUIRED.containsKey(type)) {
            errors.add(new Violation("/type", "must be one of basic, oauth2"));
        }
        JsonNode config = body.get("config");
        if (config == null || !config.isObject()) {
            errors.add(new Violation("/config", "is required (an object)"));
        } else if (type != null && REQUIRED.containsKey(type)) {
            for (String field : REQUIRED.get(type)) {
                JsonNode v = config.get(field);
                if (v == null || !v.isTextual() || v.asText().isBlank()) {
                    errors.add(new Violation("/config/" + field, "is required for " + type + " (a non-empty string)"));
                }
            }
            config.fieldNames().forEachRemaining(f -> {
                if (!REQUIRED.get(type).contains(f) && !OPTIONAL.get(type).contains(f)) {
                    errors.add(new Violation("/config/" + f, "is not a field of " + type + " configuration"));
                } else if (!config.get(f).isTextual()) {
                    errors.add(new Violation("/config/" + f, "must be a string"));
                }
            });
            JsonNode authUrl = config.get("authUrl");
            if ("oauth2".equals(type)
                    && authUrl != null
                    && authUrl.isTextual()
                    && !authUrl.asText().isBlank()) {
                guard.problemWith(authUrl.asText(), true)
                        .ifPresent(problem -> errors.add(new Violation("/config/authUrl", problem)));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        ProxyConfig next = ProxyConfig.of(type, config);
        configs.save(caller.tenantId(), next);
        // a token got with the old credentials must not outlive them
        tokens.forget(caller.tenantId());
        HttpAnswers.noContent(exchange);
    }

    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ProxyConfig config = configs.find(caller.tenantId())
                .orElseThrow(
                        () -> ProblemException.notFound("tenant " + caller.tenantId() + " has no proxy configuration"));
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        body.put("type", config.type());
        body.set("config", config.configJson(true));
        String baseUrl =
                tenants.find(caller.tenantId()).map(t -> t.proxyBaseUrl()).orElse(null);
        if (baseUrl == null) {
            body.putNull("proxyBaseUrl");
        } else {
            body.put("proxyBaseUrl", baseUrl);
        }
        HttpAnswers.set(exchange, 200, OrderJson.write(body), null);
    }
}
