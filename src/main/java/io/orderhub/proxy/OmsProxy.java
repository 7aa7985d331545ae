package io.orderhub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.OrderRepository;
import io.orderhub.orders.Violation;
import io.orderhub.security.Caller;
import io.orderhub.security.SsrfGuard;
import io.orderhub.tenants.Tenant;
import io.orderhub.tenants.TenantRepository;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The rules of proxy mode (api.md "Proxy configuration", domain.md "OMS shape"): where a read goes, the request to
 * the OMS (its URL, auth, correlation id and nothing else), and what the OMS's answer or failure becomes. The call
 * itself, the per-tenant circuit breaker and the mapping are steps of the YAML routes.
 */
@Component("omsProxy")
public class OmsProxy {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OmsProxy.class);

    /** Exchange properties the proxy routes read. */
    public static final String TENANT = "omsTenant";

    public static final String AUTH = "omsAuth";
    static final String CONFIG = "omsConfig";
    static final String TOKEN = "omsToken";
    static final String KIND = "omsRequestKind";
    static final String BU = "omsBusinessUnit";

    private static final Set<String> ORDER_STATUSES = Set.of("CREATED", "IN_PROGRESS", "CANCELLED", "FULFILLED");

    private final TenantRepository tenants;
    private final ProxyConfigs configs;
    private final OmsTokens tokens;
    private final OrderRepository orders;
    private final OrderDocumentValidator validator;
    private final SsrfGuard guard;

    public OmsProxy(
            TenantRepository tenants,
            ProxyConfigs configs,
            OmsTokens tokens,
            OrderRepository orders,
            OrderDocumentValidator validator,
            OmsGuards guards) {
        this.tenants = tenants;
        this.configs = configs;
        this.tokens = tokens;
        this.orders = orders;
        this.validator = validator;
        this.guard = guards.proxy();
    }

    /**
     * Where a read of one order goes: {@code oms} in proxy mode, and in migrating mode when the order is not stored
     * yet; {@code store} otherwise. Sets exchange property {@code readFrom}.
     */
    public void readFrom(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String where =
                switch (caller.tenantMode()) {
                    case "proxy" -> "oms";
                    case "migrating" -> orders.placedAt(
                                            caller.tenantId(), exchange.getIn().getHeader("id", String.class))
                                    .isPresent()
                            ? "store"
                            : "oms";
                    default -> "store";
                };
        exchange.setProperty("readFrom", where);
    }

    /** Where a search goes: the OMS in proxy mode, the store otherwise. Sets exchange property {@code readFrom}. */
    public void searchFrom(Exchange exchange) {
        String where = "proxy".equals(Caller.of(exchange).tenantMode()) ? "oms" : "store";
        exchange.setProperty("readFrom", where);
    }

    /** Prepares {@code GET {proxyBaseUrl}/business-units/{bu}/customer-orders/{id}}. */
    public void prepareGet(Exchange exchange) {
        String bu = exchange.getIn().getHeader("bu", String.class);
        String id = exchange.getIn().getHeader("id", String.class);
        Tenant tenant = prepare(exchange, "get");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.GET);
        exchange.getIn()
                .setHeader(
                        Exchange.HTTP_URI,
                        base(tenant) + "/business-units/" + encode(bu) + "/customer-orders/" + encode(id));
        exchange.getIn().setBody(null);
    }

    /** Prepares {@code POST {proxyBaseUrl}/business-units/{bu}/customer-orders:search} with the customerId filter. */
    public void prepareSearch(Exchange exchange) {
        String bu = exchange.getIn().getHeader("bu", String.class);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        JsonNode criteria = raw == null || raw.length == 0 ? OrderJson.MAPPER.createObjectNode() : OrderJson.parse(raw);
        if (!criteria.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        List<Violation> unsupported = new java.util.ArrayList<>();
        criteria.fieldNames().forEachRemaining(f -> {
            if (!f.equals("customerId") && !f.equals("page")) {
                unsupported.add(new Violation("/" + f, "is not supported in proxy mode (only customerId is)"));
            }
        });
        JsonNode customerId = criteria.get("customerId");
        if (customerId == null || !customerId.isTextual() || customerId.asText().isEmpty()) {
            unsupported.add(new Violation("/customerId", "is required in proxy mode (a non-empty string)"));
        }
        if (!unsupported.isEmpty()) {
            throw ProblemException.validation(unsupported);
        }
        Tenant tenant = prepare(exchange, "search");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        exchange.getIn()
                .setHeader(
                        Exchange.HTTP_URI, base(tenant) + "/business-units/" + encode(bu) + "/customer-orders:search");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode body = OrderJson.MAPPER.createObjectNode().put("customerId", customerId.asText());
        exchange.getIn().setBody(OrderJson.write(body));
    }

    /**
     * Before the call: only the headers the OMS should see. Everything else the exchange carries (the client's
     * headers, Camel's, the path variables) is dropped, so nothing internal leaks and no hop-by-hop header is relayed.
     */
    private Tenant prepare(Exchange exchange, String kind) {
        return prepare(exchange, kind, Caller.of(exchange).tenantId());
    }

    /**
     * Prepares a request to {@code tenantId}'s OMS (also for the poller, which has no HTTP caller; it sets the
     * correlation id of its poll as exchange property {@link CorrelationIds#ATTRIBUTE} first).
     */
    public Tenant prepare(Exchange exchange, String kind, String tenantId) {
        Tenant tenant = tenants.find(tenantId).orElseThrow();
        if (tenant.proxyBaseUrl() == null) {
            throw notConfigured(tenant.tenantId(), "has no proxyBaseUrl");
        }
        guard.problemWith(tenant.proxyBaseUrl(), true).ifPresent(p -> {
            throw notConfigured(tenant.tenantId(), "proxyBaseUrl " + p);
        });
        ProxyConfig config = configs.find(tenant.tenantId())
                .orElseThrow(() -> notConfigured(tenant.tenantId(), "has no proxy configuration"));
        exchange.setProperty(BU, exchange.getIn().getHeader("bu", String.class));
        String correlationId = CorrelationIds.of(exchange);
        exchange.getIn().removeHeaders("*");
        exchange.setProperty(TENANT, tenant);
        exchange.setProperty(CONFIG, config);
        exchange.setProperty(AUTH, config.type());
        exchange.setProperty(KIND, kind);
        exchange.getIn().setHeader(CorrelationIds.HEADER, correlationId);
        exchange.getIn().setHeader("Accept", "application/json");
        authorize(exchange, tenant.tenantId(), config);
        return tenant;
    }

    private void authorize(Exchange exchange, String tenantId, ProxyConfig config) {
        if (config.oauth2()) {
            String token = tokens.token(tenantId, config);
            exchange.setProperty(TOKEN, token);
            exchange.getIn().setHeader("Authorization", "Bearer " + token);
        } else {
            String pair = config.username() + ":" + config.password();
            exchange.getIn()
                    .setHeader(
                            "Authorization",
                            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** After a 401 with an OAuth2 token: that token is refused; get a new one for the one retry. */
    public void refreshToken(Exchange exchange) {
        Tenant tenant = exchange.getProperty(TENANT, Tenant.class);
        tokens.rejected(tenant.tenantId(), exchange.getProperty(TOKEN, String.class));
        // the answer's headers must not go back to the OMS with the retry
        Object method = exchange.getIn().getHeader(Exchange.HTTP_METHOD);
        Object uri = exchange.getIn().getHeader(Exchange.HTTP_URI);
        Object correlationId = exchange.getIn().getHeader(CorrelationIds.HEADER);
        Object contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
        exchange.getIn().setHeader(Exchange.HTTP_URI, uri);
        exchange.getIn().setHeader(CorrelationIds.HEADER, correlationId);
        exchange.getIn().setHeader("Accept", "application/json");
        if (contentType != null) {
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        if ("search".equals(exchange.getProperty(KIND))) {
            exchange.getIn().setBody(exchange.getProperty("omsRequestBody", String.class));
        }
        authorize(exchange, tenant.tenantId(), exchange.getProperty(CONFIG, ProxyConfig.class));
    }

    /** Keeps the request body of a search, for a retry after a refused token. */
    public void keepRequestBody(Exchange exchange) {
        exchange.setProperty("omsRequestBody", exchange.getIn().getBody(String.class));
    }

    /**
     * Inside the circuit breaker, after the call: a 5xx is a failure of the OMS and must count for its breaker; any
     * other answer (a 404 included) is the OMS working as it should.
     */
    public void countServerErrors(Exchange exchange) {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 500) {
            throw new OmsServerError(status);
        }
    }

    /**
     * The OMS's answer as the mapping's input: {@code {"oms": <answer>, "readAt", "businessUnitId", "tenant":
     * {"defaultCurrency"}}}; 404 stays 404, other refusals and unreadable answers are 502.
     */
    public void mappingInput(Exchange exchange) {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getIn().getBody(String.class);
        Tenant tenant = exchange.getProperty(TENANT, Tenant.class);
        String bu = exchange.getProperty(BU, String.class);
        exchange.getIn().removeHeaders("*");
        if (status == 404) {
            throw ProblemException.notFound("the OMS has no such order");
        }
        if (status == 401 || status == 403) {
            throw upstream("upstream-rejected", "the OMS refused the hub's credentials (" + status + ")");
        }
        if (status < 200 || status >= 300) {
            throw upstream("upstream-rejected", "the OMS refused the request with " + status);
        }
        JsonNode answer;
        try {
            answer = OrderJson.parse(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        } catch (OrderJson.MalformedJson e) {
            throw upstream("upstream-unreadable", "the OMS answered with something that is not JSON");
        }
        String expected = "search".equals(exchange.getProperty(KIND)) ? "customerOrders" : "customerOrder";
        if (!answer.path(expected).isContainerNode()) {
            throw upstream("upstream-unreadable", "the OMS answer has no " + expected);
        }
        ObjectNode input = OrderJson.MAPPER.createObjectNode();
        input.set("oms", answer);
        input.put("readAt", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        input.put("businessUnitId", bu);
        input.putObject("tenant").put("defaultCurrency", tenant.defaultCurrency());
        exchange.getIn().setBody(input);
    }

    /** The mapped order: a status the mapping does not know is a 502 naming it; the document must be valid v2. */
    public void answerOrder(Exchange exchange) {
        JsonNode mapped = exchange.getIn().getBody(JsonNode.class);
        String status =
                mapped.path("customerOrder").path("status").path("status").asText();
        if (!ORDER_STATUSES.contains(status)) {
            throw upstream(
                    "upstream-unknown-status",
                    "the OMS answered order status \"" + status + "\", which the mapping does not know");
        }
        List<Violation> violations = validator.validate(mapped);
        if (!violations.isEmpty()) {
            throw upstream(
                    "upstream-unreadable",
                    "the OMS answer does not map to a valid order: "
                            + violations.get(0).pointer() + " "
                            + violations.get(0).message());
        }
        HttpAnswers.set(exchange, 200, OrderJson.write(mapped), null);
    }

    /** The mapped search answer: statuses checked as for one order, then the hub's search page. */
    public void answerSearch(Exchange exchange) {
        JsonNode mapped = exchange.getIn().getBody(JsonNode.class);
        ArrayNode found = mapped.path("customerOrders").isArray()
                ? (ArrayNode) mapped.get("customerOrders")
                : OrderJson.MAPPER.createArrayNode();
        for (JsonNode o : found) {
            String status = o.path("status").asText();
            if (!ORDER_STATUSES.contains(status)) {
                throw upstream(
                        "upstream-unknown-status",
                        "the OMS answered order status \"" + status + "\", which the mapping does not know");
            }
        }
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        body.set("customerOrders", found);
        body.putObject("page")
                .put("skip", 0)
                .put("take", found.size())
                .put("total", found.size())
                .put("totalExact", true)
                .put("hasMore", false);
        HttpAnswers.set(exchange, 200, OrderJson.write(body), null);
    }

    /** What a failed call becomes (api.md): timeout 504, open circuit or full bulkhead 503, the rest 502. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Tenant tenant = exchange.getProperty(TENANT, Tenant.class);
        String who = tenant == null ? "the OMS" : "the OMS of tenant " + tenant.tenantId();
        String chain = chain(failure);
        if (chain.contains("CallNotPermittedException") || chain.contains("BulkheadFullException")) {
            // the breaker or bulkhead speaking for an OMS already logged as failing: not worth a line per request
            log.debug("Call to {} not made: {}", who, chain);
        } else {
            log.warn("Call to {} failed: {}", who, chain);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                throw p;
            }
            if (t instanceof CallNotPermittedException) {
                throw unavailable(who + " is failing; the hub is not calling it for a while (circuit open)");
            }
            if (t instanceof BulkheadFullException) {
                throw unavailable(who + " already has as many calls in flight as the hub allows");
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                throw new ProblemException(504, "upstream-timeout", "OMS timeout", who + " did not answer in time");
            }
            if (t instanceof SsrfGuard.Refused) {
                throw upstream("upstream-refused-target", who + " resolves to an address the hub may not call");
            }
            if (t instanceof OmsServerError e) {
                throw upstream("upstream-failed", who + " failed with " + e.status);
            }
        }
        throw upstream("upstream-failed", who + " could not be reached");
    }

    /** The classes and messages of a failure and its causes, for the log (never secrets: URLs and statuses only). */
    private static String chain(Throwable failure) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = failure; t != null && b.length() < 1000; t = t.getCause()) {
            b.append(b.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(
                503,
                "upstream-unavailable",
                "OMS unavailable",
                detail,
                List.of(),
                Map.of(),
                Map.of("Retry-After", "5"));
    }

    private static ProblemException upstream(String kind, String detail) {
        return new ProblemException(502, kind, "Bad gateway", detail);
    }

    private static ProblemException notConfigured(String tenantId, String what) {
        return new ProblemException(
                502, "proxy-not-configured", "Proxy not configured", "tenant " + tenantId + " " + what);
    }

    private static String base(Tenant tenant) {
        String base = tenant.proxyBaseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A 5xx from the OMS, thrown inside the breaker so that it counts as a failure. */
    public static final class OmsServerError extends RuntimeException {
        final int status;

        OmsServerError(int status) {
            super("OMS answered " + status, null, false, false);
            this.status = status;
        }
    }
}
