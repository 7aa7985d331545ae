package io.orderhub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.HubProperties;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.Violation;
import io.orderhub.security.Caller;
import io.orderhub.security.SsrfGuard;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** api.md "Webhook subscriptions" (admin role, checked in the web security layer): subscriptions and the journal. */
@Component("webhookApi")
public class WebhookApi {

    private static final Pattern WEBHOOK_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final Pattern BU = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final Set<String> EVENT_TYPES = Set.of(Outbox.ORDER_UPDATE, Outbox.TRANSACTIONS);
    private static final Set<String> ORIGINS = Set.of("OMS", "STORE", "HUB");
    private static final Set<String> FIELDS =
            Set.of("url", "eventTypes", "origins", "businessUnits", "auth", "sharedKey", "enabled");

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final SsrfGuard guard;
    private final boolean allowHttp;
    private final TransactionTemplate transaction;
    private final SecureRandom random = new SecureRandom();

    public WebhookApi(
            Subscriptions subscriptions,
            Deliveries deliveries,
            Outbox outbox,
            WebhookGuards guards,
            HubProperties hub,
            PlatformTransactionManager transactions) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.guard = guards.guard();
        this.allowHttp = hub.webhooks().allowHttp();
        this.transaction = new TransactionTemplate(transactions);
    }

    /** {@code PUT /api/v1/webhooks/{webhookId}}: 201 created or 200 replaced; a generated key is shown this once. */
    public void put(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        JsonNode body = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        if (!body.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        List<Violation> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new Violation("/" + f, "is not allowed (unknown field)"));
            }
        });
        JsonNode urlNode = body.get("url");
        String url = urlNode != null && urlNode.isTextual() ? urlNode.asText() : null;
        if (url == null) {
            errors.add(new Violation("/url", "is required (an https URL)"));
        } else {
            guard.problemWith(url, allowHttp).ifPresent(p -> errors.add(new Violation("/url", p)));
        }
        List<String> eventTypes = strings(body, "eventTypes", EVENT_TYPES, errors, true);
        List<String> origins = strings(body, "origins", ORIGINS, errors, false);
        List<String> businessUnits = businessUnits(body, errors);
        String authType = null;
        String username = null;
        String secret = null;
        JsonNode auth = body.get("auth");
        if (auth != null && !auth.isNull()) {
            if (!auth.isObject()) {
                errors.add(new Violation("/auth", "must be an object"));
            } else {
                authType = auth.path("type").asText(null);
                if ("basic".equals(authType)) {
                    username = required(auth, "username", errors);
                    secret = required(auth, "password", errors);
                    only(auth, Set.of("type", "username", "password"), errors);
                } else if ("bearer".equals(authType)) {
                    secret = required(auth, "token", errors);
                    only(auth, Set.of("type", "token"), errors);
                } else {
                    errors.add(new Violation("/auth/type", "must be one of basic, bearer"));
                }
            }
        }
        JsonNode keyNode = body.get("sharedKey");
        String sharedKey = null;
        if (keyNode != null && !keyNode.isNull()) {
            if (!keyNode.isTextual() || keyNode.asText().length() < 16) {
                errors.add(new Violation("/sharedKey", "must be a string of at least 16 characters"));
            } else if (keyNode.asText().startsWith("whsec_")
                    && !isBase64(keyNode.asText().substring(6))) {
                errors.add(new Violation("/sharedKey", "a whsec_ key must be base64 after the prefix"));
            } else {
                sharedKey = keyNode.asText();
            }
        }
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull() && !enabledNode.isBoolean()) {
            errors.add(new Violation("/enabled", "must be true or false"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        boolean generated = false;
        if (sharedKey == null) {
            // an update without a key keeps the one the subscriber already verifies with
            sharedKey = subscriptions
                    .find(caller.tenantId(), webhookId)
                    .map(Subscription::sharedKey)
                    .orElse(null);
        }
        if (sharedKey == null) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            sharedKey = "whsec_" + Base64.getEncoder().encodeToString(key);
            generated = true;
        }
        Subscription s = new Subscription(
                caller.tenantId(),
                webhookId,
                url,
                eventTypes,
                origins,
                businessUnits,
                authType,
                username,
                secret,
                sharedKey,
                enabledNode == null || enabledNode.isNull() || enabledNode.asBoolean());
        boolean created = subscriptions.save(s);
        HttpAnswers.set(
                exchange,
                created ? 201 : 200,
                OrderJson.write(s.json(generated)),
                created ? "/api/v1/webhooks/" + webhookId : null);
    }

    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        HttpAnswers.set(
                exchange, 200, OrderJson.write(find(caller, webhookId(exchange)).json(false)), null);
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("webhooks");
        subscriptions.list(caller.tenantId()).forEach(s -> list.add(s.json(false)));
        HttpAnswers.set(exchange, 200, OrderJson.write(body), null);
    }

    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        if (!subscriptions.delete(caller.tenantId(), webhookId)) {
            throw ProblemException.notFound("no webhook " + webhookId);
        }
        HttpAnswers.noContent(exchange);
    }

    /** {@code :ping}: an {@code exe.events.v1} test event for this subscription; 202. */
    public void ping(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        find(caller, webhookId);
        UUID eventId =
                transaction.execute(tx -> outbox.ping(caller.tenantId(), webhookId, CorrelationIds.of(exchange)));
        HttpAnswers.set(exchange, 202, "{\"eventId\":\"" + eventId + "\"}", null);
    }

    /** The journal: {@code ?status=&skip=&take=}, newest first. */
    public void deliveries(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        find(caller, webhookId);
        String status = exchange.getIn().getHeader("status", String.class);
        List<Violation> errors = new ArrayList<>();
        if (status != null && !Set.of("PENDING", "DELIVERED", "FAILED").contains(status)) {
            errors.add(new Violation("/query/status", "must be one of PENDING, DELIVERED, FAILED"));
        }
        int skip = number(exchange, "skip", 0, 0, Integer.MAX_VALUE, errors);
        int take = number(exchange, "take", 20, 1, 200, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        HttpAnswers.set(
                exchange,
                200,
                OrderJson.write(deliveries.list(caller.tenantId(), webhookId, status, skip, take)),
                null);
    }

    /** One delivery sent again with its event id; 409 superseded unless {@code {"force": true}}. */
    public void replay(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        find(caller, webhookId);
        long deliveryId;
        try {
            deliveryId = Long.parseLong(exchange.getIn().getHeader("deliveryId", String.class));
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("no such delivery");
        }
        byte[] raw = exchange.getIn().getBody(byte[].class);
        JsonNode body = raw == null || raw.length == 0 ? OrderJson.MAPPER.createObjectNode() : OrderJson.parse(raw);
        boolean force = body.path("force").asBoolean(false);
        Deliveries.Entry entry = deliveries
                .find(caller.tenantId(), webhookId, deliveryId)
                .orElseThrow(
                        () -> ProblemException.notFound("webhook " + webhookId + " has no delivery " + deliveryId));
        if (!force && deliveries.superseded(caller.tenantId(), webhookId, entry)) {
            throw ProblemException.conflict(
                    "superseded",
                    "a newer update of this order was delivered to webhook " + webhookId
                            + " since; send {\"force\": true} to replay anyway");
        }
        deliveries.replay(deliveryId);
        HttpAnswers.set(exchange, 202, "{\"deliveryId\":\"" + deliveryId + "\",\"status\":\"PENDING\"}", null);
    }

    /** Every delivery of a status (since a time) replayed, oldest first, superseded ones skipped; 202 with the count. */
    public void replayAll(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String webhookId = webhookId(exchange);
        find(caller, webhookId);
        JsonNode body = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        List<Violation> errors = new ArrayList<>();
        String status = body.path("status").asText("");
        if (!Set.of("FAILED", "DELIVERED").contains(status)) {
            errors.add(new Violation("/status", "must be FAILED or DELIVERED"));
        }
        OffsetDateTime since = null;
        if (body.hasNonNull("since")) {
            if (!OrderDocumentValidator.isRfc3339DateTime(body.get("since").asText())) {
                errors.add(new Violation("/since", "must be an RFC 3339 date-time"));
            } else {
                since = OffsetDateTime.parse(body.get("since").asText());
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        int count = 0;
        for (Deliveries.Entry e : deliveries.matching(caller.tenantId(), webhookId, status, since)) {
            if (!deliveries.superseded(caller.tenantId(), webhookId, e)) {
                deliveries.replay(e.deliveryId());
                count++;
            }
        }
        HttpAnswers.set(exchange, 202, "{\"count\":" + count + "}", null);
    }

    private Subscription find(Caller caller, String webhookId) {
        return subscriptions
                .find(caller.tenantId(), webhookId)
                .orElseThrow(() -> ProblemException.notFound("no webhook " + webhookId));
    }

    private static String webhookId(Exchange exchange) {
        String id = exchange.getIn().getHeader("webhookId", String.class);
        if (id == null || !WEBHOOK_ID.matcher(id).matches()) {
            throw ProblemException.validation(
                    List.of(new Violation("/path/webhookId", "must be 1 to 64 of A-Z a-z 0-9 . _ -")));
        }
        return id;
    }

    private static List<String> strings(
            JsonNode body, String field, Set<String> allowed, List<Violation> errors, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(new Violation("/" + field, "is required: a non-empty list of " + sorted(allowed)));
            }
            return null;
        }
        if (!n.isArray() || n.isEmpty()) {
            errors.add(new Violation("/" + field, "must be a non-empty list of " + sorted(allowed)));
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual() || !allowed.contains(n.get(i).asText())) {
                errors.add(new Violation("/" + field + "/" + i, "must be one of " + sorted(allowed)));
            } else {
                values.add(n.get(i).asText());
            }
        }
        return List.copyOf(values);
    }

    private static List<String> businessUnits(JsonNode body, List<Violation> errors) {
        JsonNode n = body.get("businessUnits");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.isEmpty()) {
            errors.add(new Violation("/businessUnits", "must be a non-empty list of business unit ids, or absent"));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual() || !BU.matcher(n.get(i).asText()).matches()) {
                errors.add(new Violation("/businessUnits/" + i, "must be 1 to 128 of A-Z a-z 0-9 . _ -"));
            } else {
                values.add(n.get(i).asText());
            }
        }
        return values;
    }

    private static String required(JsonNode auth, String field, List<Violation> errors) {
        JsonNode v = auth.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            errors.add(new Violation("/auth/" + field, "is required (a non-empty string)"));
            return null;
        }
        return v.asText();
    }

    private static void only(JsonNode auth, Set<String> fields, List<Violation> errors) {
        auth.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                errors.add(new Violation("/auth/" + f, "is not a field of this auth type"));
            }
        });
    }

    private static int number(Exchange exchange, String name, int dflt, int min, int max, List<Violation> errors) {
        String v = exchange.getIn().getHeader(name, String.class);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(new Violation("/query/" + name, "must be a whole number from " + min + " to " + max));
            return dflt;
        }
    }

    private static boolean isBase64(String s) {
        try {
            return Base64.getDecoder().decode(s).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", new java.util.TreeSet<>(values));
    }
}
