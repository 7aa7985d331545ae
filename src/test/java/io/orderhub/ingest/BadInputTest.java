package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A corpus of bad {@code PUT /api/v1/business-units/S1/customer-orders/{id}} requests (api.md "Conventions" and
 * "PUT (events mode)"): each gets its 4xx problem+json, names what is wrong, and stores nothing at all.
 */
@HubTest
class BadInputTest {

    private static final String BU = "S1";
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_TYPE = "urn:orderhub:problem:";
    /** Tables an accepted PUT writes to, directly or through the bus consumer. */
    private static final List<String> ORDER_TABLES =
            List.of("bus_event", "customer_order", "order_history", "dead_letter");
    /** Fragments that only appear when internals leak into an answer (api.md: no stack traces, SQL or class names). */
    private static final List<String> INTERNALS = List.of(
            "Exception",
            "\tat ",
            "com.fasterxml",
            "io.orderhub.",
            "org.apache.",
            "org.springframework.",
            "java.lang.",
            "jakarta.",
            "org.postgresql",
            "SQLSTATE",
            "DeserializationFeature",
            "StreamReadFeature");
    /** A Java-qualified class name such as {@code com.example.pkg.SomeType}. */
    private static final Pattern QUALIFIED_CLASS =
            Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_]*");

    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    Hub hub;
    String tenant;
    String key;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("bad-input");
        key = hub.newTenantKey(tenant, "[\"oms\"]", null);
    }

    // ------------------------------------------------------------------ the corpus

    /** One bad request: how its path segment and body are made from a fresh order id, and what it must get. */
    record BadPut(
            String description,
            Function<String, String> pathSegment,
            Function<String, String> body,
            Map<String, String> headers,
            int status,
            String kind,
            List<String> pointers,
            String messageMustContain) {

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<BadPut> malformedJson() {
        return Stream.of(
                malformed(
                        "a truncated object",
                        id -> "{\"customerOrder\": {\"customerOrderId\": \"" + id + "\", \"items\": ["),
                malformed(
                        "single-quoted member names",
                        id -> validDoc(id, BU).toString().replace('"', '\'')),
                malformed("a trailing comma", id -> "{\"customerOrder\": {\"customerOrderId\": \"" + id + "\",}}"),
                malformed("a second document after the first", id -> validDoc(id, BU) + " " + validDoc(id, BU)),
                malformed("a bare word", id -> "customerOrder"),
                malformed(
                        "a misspelled literal",
                        id -> "{\"customerOrder\": {\"customerOrderId\": \"" + id + "\", \"isReadOnly\": tru}}"));
    }

    static Stream<BadPut> invalidDocuments() {
        return Stream.of(
                invalid("a JSON array instead of an object", id -> "[" + validDoc(id, BU) + "]", ""),
                invalid("a JSON string instead of an object", id -> "\"" + id + "\"", ""),
                invalid(
                        "quantity value as a string",
                        edit((o, id) -> obj(o, "/items/0/quantity").put("value", "2")),
                        "/customerOrder/items/0/quantity/value"),
                invalid(
                        "unit price as a string",
                        edit((o, id) -> obj(o, "/items/1").put("unitPrice", "89.50")),
                        "/customerOrder/items/1/unitPrice"),
                invalid(
                        "order status as a number",
                        edit((o, id) -> obj(o, "/status").put("status", 2)),
                        "/customerOrder/status/status"),
                invalid(
                        "status object replaced by a string",
                        edit((o, id) -> o.put("status", "IN_PROGRESS")),
                        "/customerOrder/status"),
                invalid("missing currencyId", edit((o, id) -> o.remove("currencyId")), "/customerOrder/currencyId"),
                invalid("missing items", edit((o, id) -> o.remove("items")), "/customerOrder/items"),
                invalid(
                        "missing status.changedDateTime",
                        edit((o, id) -> obj(o, "/status").remove("changedDateTime")),
                        "/customerOrder/status/changedDateTime"),
                invalid(
                        "an unknown field at the root",
                        id -> {
                            ObjectNode d = validDoc(id, BU);
                            d.put("giftMessage", "Happy gardening!");
                            return d.toString();
                        },
                        "/giftMessage"),
                invalid(
                        "an unknown field in a line item",
                        edit((o, id) -> obj(o, "/items/1").put("engravingText", "R.L.")),
                        "/customerOrder/items/1/engravingText"),
                invalid(
                        "an unknown field in a fulfilment line",
                        edit((o, id) -> obj(o, "/fulfillments/0/lineItems/0").put("colour", "terracotta")),
                        "/customerOrder/fulfillments/0/lineItems/0/colour"),
                invalidNaming(
                        "an unknown order status",
                        edit((o, id) -> obj(o, "/status").put("status", "SHIPPED")),
                        "CREATED",
                        "/customerOrder/status/status"),
                invalidNaming(
                        "an unknown fulfilment method",
                        edit((o, id) -> obj(o, "/fulfillments/0").put("fulfillmentMethod", "DRONE_DROP")),
                        "PICKUP_IN_STORE",
                        "/customerOrder/fulfillments/0/fulfillmentMethod"),
                invalid(
                        "a lower-case currency",
                        edit((o, id) -> o.put("currencyId", "sek")),
                        "/customerOrder/currencyId"),
                invalid(
                        "a four-letter currency",
                        edit((o, id) -> o.put("currencyId", "SEKR")),
                        "/customerOrder/currencyId"),
                invalid(
                        "changedDateTime with a space and no offset",
                        edit((o, id) -> obj(o, "/status").put("changedDateTime", "2026-04-14 08:30:00")),
                        "/customerOrder/status/changedDateTime"),
                invalid(
                        "changedDateTime as a day only",
                        edit((o, id) -> obj(o, "/fulfillments/0/status").put("changedDateTime", "2026-04-14")),
                        "/customerOrder/fulfillments/0/status/changedDateTime"),
                invalid(
                        "a malformed email in a delivery address",
                        edit((o, id) -> {
                            ObjectNode f = obj(o, "/fulfillments/0");
                            f.put("fulfillmentMethod", "HOME_DELIVERY_FROM_WAREHOUSE");
                            f.remove("fulfillmentBusinessUnitId");
                            f.putObject("deliveryAddress")
                                    .put("name", "Robin Lindqvist")
                                    .put("line1", "Ekbacksvägen 12")
                                    .put("city", "Uppsala")
                                    .put("countryCode", "SE")
                                    .put("postalCode", "752 36")
                                    .put("email", "robin.lindqvist(at)example.se");
                        }),
                        "/customerOrder/fulfillments/0/deliveryAddress/email"),
                invalid(
                        "a store pickup without fulfillmentBusinessUnitId",
                        edit((o, id) -> obj(o, "/fulfillments/0").remove("fulfillmentBusinessUnitId")),
                        "/customerOrder/fulfillments/0/fulfillmentBusinessUnitId"),
                invalid(
                        "customerOrderId different from the path id",
                        edit((o, id) -> o.put("customerOrderId", id + "-OTHER")),
                        "/customerOrder/customerOrderId"),
                invalid(
                        "businessUnitId different from the path business unit",
                        edit((o, id) -> o.put("businessUnitId", "S2")),
                        "/customerOrder/businessUnitId"),
                new BadPut(
                        "a path id with an illegal character (encoded space)",
                        id -> id + "%20x",
                        id -> validDoc(id, BU).toString(),
                        Map.of(),
                        400,
                        "validation",
                        // the body's id is fine on its own but no longer equals the (illegal) path id
                        List.of("/path/id", "/customerOrder/customerOrderId"),
                        null),
                new BadPut(
                        "an Event-Time header that is not RFC 3339",
                        id -> id,
                        id -> validDoc(id, BU).toString(),
                        Map.of("Event-Time", "14 April 2026 08:30"),
                        400,
                        "validation",
                        List.of("/headers/Event-Time"),
                        null));
    }

    static Stream<BadPut> wrongMediaTypes() {
        return Stream.of(
                mediaType("text/plain", id -> validDoc(id, BU).toString()),
                mediaType("text/plain; charset=utf-8", id -> validDoc(id, BU).toString()),
                mediaType(
                        "application/xml",
                        id -> "<customerOrder><customerOrderId>" + id + "</customerOrderId></customerOrder>"),
                mediaType("application/x-www-form-urlencoded", id -> "customerOrderId=" + id + "&currencyId=SEK"));
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedJson")
    void malformedJsonIsRefusedAsMalformedAndNothingIsStored(BadPut bad) {
        refusedAndNothingStored(bad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void invalidDocumentIsRefusedNamingTheViolationAndNothingIsStored(BadPut bad) {
        refusedAndNothingStored(bad);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongMediaTypes")
    void bodyOfAnotherMediaTypeIsRefusedWith415AndNothingIsStored(BadPut bad) {
        refusedAndNothingStored(bad);
    }

    @Test
    void emptyBodyWithJsonContentTypeIsRefusedWith400AndNothingIsStored() {
        String id = Hub.uniqueId("BAD");
        String path = orderPath(id);
        Hub.Answer a = hub.send("PUT", path, key, "", Map.of("Content-Type", "application/json"));
        assertProblem(a, path, 400, null);
        assertThat(a.json().path("type").asText())
                .as("an empty body is not JSON: expected type malformed-json (or validation), got %s", a)
                .isIn(PROBLEM_TYPE + "malformed-json", PROBLEM_TYPE + "validation");
        assertNothingStored(id, a);
    }

    @Test
    void bodyOverOneMebibyteIsRefusedWith413AndNothingIsStored() {
        String id = Hub.uniqueId("BAD");
        ObjectNode doc = validDoc(id, BU);
        // a valid document, just too big: only the size can be the reason for refusing it
        ((ObjectNode) doc.get("customerOrder")).put("cartName", "x".repeat(1024 * 1024 + 512));
        String body = doc.toString();
        assertThat(body.length()).as("the test body must exceed 1 MiB").isGreaterThan(1024 * 1024);
        String path = orderPath(id);
        Hub.Answer a = hub.send("PUT", path, key, body);
        assertProblem(a, path, 413, "payload-too-large");
        assertNothingStored(id, a);
    }

    @Test
    void idempotencyKeyOf129CharactersIsRefusedWith400NamingTheHeader() {
        String id = Hub.uniqueId("BAD");
        String path = orderPath(id);
        String tooLong = "k".repeat(129);
        Hub.Answer a = hub.send("PUT", path, key, validDoc(id, BU).toString(), Map.of("Idempotency-Key", tooLong));
        assertProblem(a, path, 400, "validation");
        // api.md: validation errors add errors[] naming every violation; Event-Time is named as /headers/Event-Time
        assertThat(pointers(a))
                .as("a validation problem lists its violations, here the Idempotency-Key header; got %s", a)
                .anySatisfy(p -> assertThat(p).containsIgnoringCase("Idempotency-Key"));
        assertNothingStored(id, a);
    }

    @Test
    void idempotencyKeyOf128CharactersIsAccepted() {
        String id = Hub.uniqueId("OK");
        Hub.Answer a = hub.send(
                "PUT", orderPath(id), key, validDoc(id, BU).toString(), Map.of("Idempotency-Key", "k".repeat(128)));
        assertThat(a.status())
                .as("128 characters is within 1–128: expected 202, got %s", a)
                .isEqualTo(202);
    }

    @Test
    void documentWithSeveralViolationsListsEveryOne() {
        String id = Hub.uniqueId("BAD");
        ObjectNode doc = validDoc(id, BU);
        ObjectNode o = (ObjectNode) doc.get("customerOrder");
        o.remove("currencyId");
        obj(o, "/status").put("status", "SHIPPED");
        obj(o, "/items/0/quantity").put("value", "two");
        o.put("giftWrap", true);
        String path = orderPath(id);
        Hub.Answer a = hub.send("PUT", path, key, doc.toString(), Map.of("Event-Time", "yesterday"));
        assertProblem(a, path, 400, "validation");
        assertThat(a.json().path("errors"))
                .as("every violation is listed, not just the first: expected at least 3 errors, got %s", a)
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(pointers(a))
                .as("errors of %s", a)
                .containsExactlyInAnyOrder(
                        "/customerOrder/currencyId",
                        "/customerOrder/status/status",
                        "/customerOrder/items/0/quantity/value",
                        "/customerOrder/giftWrap",
                        "/headers/Event-Time");
        assertNothingStored(id, a);
    }

    @ParameterizedTest(name = "Correlation-Id of {0} characters is echoed")
    @ValueSource(ints = {1, 24, 128})
    void correlationIdIsEchoedOnTheProblemHeaderAndInItsBody(int length) {
        String correlationId = ("pos-7f3a:retry=2/" + "abcdefghij".repeat(13)).substring(0, length);
        String id = Hub.uniqueId("BAD");
        String path = orderPath(id);
        ObjectNode doc = validDoc(id, BU);
        ((ObjectNode) doc.get("customerOrder")).remove("items");
        Hub.Answer a = hub.send("PUT", path, key, doc.toString(), Map.of("Correlation-Id", correlationId));
        assertProblem(a, path, 400, "validation");
        assertThat(a.header("Correlation-Id"))
                .as("Correlation-Id response header of %s", a)
                .isEqualTo(correlationId);
        assertThat(a.json().path("correlationId").asText())
                .as("correlationId in %s", a)
                .isEqualTo(correlationId);
        assertNothingStored(id, a);
    }

    @Test
    void correlationIdIsEchoedOnAProblemAnsweredBeforeAnyRoute() {
        String id = Hub.uniqueId("BAD");
        String path = orderPath(id);
        Hub.Answer a = hub.send(
                "PUT",
                path,
                key,
                validDoc(id, BU).toString(),
                Map.of("Content-Type", "text/plain", "Correlation-Id", "till-42-receipt-0815"));
        assertProblem(a, path, 415, "unsupported-media-type");
        assertThat(a.header("Correlation-Id"))
                .as("Correlation-Id response header of %s", a)
                .isEqualTo("till-42-receipt-0815");
        assertThat(a.json().path("correlationId").asText())
                .as("correlationId in %s", a)
                .isEqualTo("till-42-receipt-0815");
    }

    @ParameterizedTest(name = "Correlation-Id of {0} characters is replaced")
    @ValueSource(ints = {129, 200})
    void correlationIdThatIsTooLongIsReplacedByAGeneratedUuid(int length) {
        String given = "c".repeat(length);
        String id = Hub.uniqueId("BAD");
        String path = orderPath(id);
        Hub.Answer a = hub.send("PUT", path, key, "{\"customerOrder\" []}", Map.of("Correlation-Id", given));
        assertProblem(a, path, 400, "malformed-json");
        String echoed = a.header("Correlation-Id");
        assertThat(echoed)
                .as("a Correlation-Id of %d characters is not kept; got %s", length, echoed)
                .isNotEqualTo(given);
        assertThat(echoed)
                .as("the hub makes a UUID instead; got header %s", echoed)
                .matches(UUID_TEXT);
        assertThat(a.json().path("correlationId").asText())
                .as("the body names the same generated id as the header; got %s", a)
                .isEqualTo(echoed);
        assertNothingStored(id, a);
    }

    @Test
    void noAnswerLeaksCamelOrRequestHeaders() {
        Map<String, String> probes = Map.of(
                "Idempotency-Key", "idem-" + UUID.randomUUID(),
                "X-Till-Session", "till-7-session-31",
                // a client trying to steer Camel: must neither be obeyed nor echoed
                "CamelHttpResponseCode", "200");
        List<String> sent = new ArrayList<>(probes.keySet());
        sent.addAll(List.of("Authorization", "Event-Time", "bu", "id"));

        String invalidId = Hub.uniqueId("BAD");
        ObjectNode invalid = validDoc(invalidId, BU);
        ((ObjectNode) invalid.get("customerOrder")).put("currencyId", "euro");
        Hub.Answer validation = hub.send(
                "PUT",
                orderPath(invalidId),
                key,
                invalid.toString(),
                with(probes, "Event-Time", "2026-04-14T09:00:00Z"));
        assertProblem(validation, orderPath(invalidId), 400, "validation");

        String malformedId = Hub.uniqueId("BAD");
        Hub.Answer malformed = hub.send("PUT", orderPath(malformedId), key, "{\"customerOrder\" []}", probes);
        assertProblem(malformed, orderPath(malformedId), 400, "malformed-json");

        String plainId = Hub.uniqueId("BAD");
        Hub.Answer plain =
                hub.send("PUT", orderPath(plainId), key, "hello", with(probes, "Content-Type", "text/plain"));
        assertProblem(plain, orderPath(plainId), 415, "unsupported-media-type");

        String acceptedId = Hub.uniqueId("OK");
        Hub.Answer accepted = hub.send(
                "PUT",
                orderPath(acceptedId),
                key,
                validDoc(acceptedId, BU).toString(),
                with(probes, "Event-Time", "2026-04-14T09:00:00Z"));
        assertThat(accepted.status())
                .as("a valid PUT is accepted: expected 202, got %s", accepted)
                .isEqualTo(202);

        for (Hub.Answer a : List.of(validation, malformed, plain, accepted)) {
            assertNoLeakedHeaders(a, sent);
        }
        assertNothingStored(invalidId, validation);
        assertNothingStored(malformedId, malformed);
        assertNothingStored(plainId, plain);
    }

    // ------------------------------------------------------------------ assertions

    private void refusedAndNothingStored(BadPut bad) {
        String id = Hub.uniqueId("BAD");
        String path = orderPath(bad.pathSegment().apply(id));
        Hub.Answer a = hub.send("PUT", path, key, bad.body().apply(id), bad.headers());
        assertProblem(a, path, bad.status(), bad.kind());
        if (!bad.pointers().isEmpty()) {
            assertThat(pointers(a))
                    .as("%s: expected errors at %s, got %s", bad, bad.pointers(), a)
                    .containsExactlyInAnyOrderElementsOf(bad.pointers());
        }
        if (bad.messageMustContain() != null) {
            JsonNode error = errorAt(a, bad.pointers().get(0));
            assertThat(error.path("message").asText())
                    .as(
                            "%s: the message names the allowed values (expected it to contain %s), got %s",
                            bad, bad.messageMustContain(), a)
                    .contains(bad.messageMustContain());
        }
        assertNothingStored(id, a);
    }

    /** The RFC 9457 shape of api.md "Conventions", and no internals in it. */
    private static void assertProblem(Hub.Answer a, String path, int status, String kind) {
        assertThat(a.status()).as("expected HTTP %d, got %s", status, a).isEqualTo(status);
        assertThat(a.header("Content-Type"))
                .as("expected Content-Type %s, got %s for %s", PROBLEM_JSON, a.header("Content-Type"), a)
                .startsWith(PROBLEM_JSON);
        JsonNode p = a.json();
        if (kind != null) {
            assertThat(p.path("type").asText()).as("type of %s", a).isEqualTo(PROBLEM_TYPE + kind);
        } else {
            assertThat(p.path("type").asText()).as("type of %s", a).startsWith(PROBLEM_TYPE);
        }
        assertThat(p.path("status").isInt() ? p.path("status").asInt() : -1)
                .as("status member of %s", a)
                .isEqualTo(status);
        assertThat(p.path("title").asText()).as("title of %s", a).isNotBlank();
        assertThat(p.path("detail").asText()).as("detail of %s", a).isNotBlank();
        assertThat(p.path("instance").asText())
                .as("instance of %s is the request path", a)
                .isEqualTo(path);
        assertThat(p.path("correlationId").asText())
                .as("correlationId of %s", a)
                .isNotBlank();
        assertThat(p.path("correlationId").asText())
                .as("body correlationId equals the Correlation-Id header %s in %s", a.header("Correlation-Id"), a)
                .isEqualTo(a.header("Correlation-Id"));
        if ("validation".equals(kind)) {
            assertThat(p.path("errors").isArray() && !p.path("errors").isEmpty())
                    .as("a validation problem has a non-empty errors array; got %s", a)
                    .isTrue();
            for (JsonNode e : p.path("errors")) {
                assertThat(e.path("pointer").isTextual())
                        .as("each error has a pointer; got %s in %s", e, a)
                        .isTrue();
                assertThat(e.path("message").asText())
                        .as("each error has a message; got %s in %s", e, a)
                        .isNotBlank();
            }
        }
        for (String fragment : INTERNALS) {
            assertThat(a.body()).as("no internals (%s) in %s", fragment, a).doesNotContain(fragment);
        }
        assertThat(QUALIFIED_CLASS.matcher(a.body()).find())
                .as("no class names in %s", a)
                .isFalse();
        assertNoLeakedHeaders(a, List.of("Authorization", "bu", "id"));
    }

    private static void assertNoLeakedHeaders(Hub.Answer a, List<String> requestHeaders) {
        Set<String> names = a.raw().headers().map().keySet();
        Set<String> forbidden = new java.util.HashSet<>();
        requestHeaders.forEach(h -> forbidden.add(h.toLowerCase(Locale.ROOT)));
        forbidden.addAll(List.of("authorization", "bu", "id"));
        assertThat(names)
                .as(
                        "response headers %s of %s: none may start with Camel or repeat a request header %s",
                        a.raw().headers().map(), a, requestHeaders)
                .noneMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("camel")
                        || n.toLowerCase(Locale.ROOT).startsWith("org.apache.camel")
                        || forbidden.contains(n.toLowerCase(Locale.ROOT)));
    }

    /**
     * Nothing of the refused request reached the bus, the orders or the history: checked at once, and again after a
     * later valid order of the same tenant has been applied (so the consumer has had its turn).
     */
    private void assertNothingStored(String idPrefix, Hub.Answer refused) {
        assertNoRows(idPrefix, "right after the answer", refused);
        String sentinel = Hub.uniqueId("SETTLE");
        Hub.Answer s =
                hub.send("PUT", orderPath(sentinel), key, validDoc(sentinel, BU).toString());
        assertThat(s.status())
                .as("the settling order is accepted: expected 202, got %s", s)
                .isEqualTo(202);
        Hub.await(
                SETTLE,
                "settling order " + sentinel + " applied",
                () -> db.queryForObject(
                                "SELECT count(*) FROM order_history WHERE tenant_id = ? AND customer_order_id = ?",
                                Long.class,
                                tenant,
                                sentinel)
                        > 0);
        assertNoRows(idPrefix, "after a later order was applied", refused);
    }

    private void assertNoRows(String idPrefix, String when, Hub.Answer refused) {
        for (String table : ORDER_TABLES) {
            Long rows = db.queryForObject(
                    "SELECT count(*) FROM " + table + " WHERE customer_order_id LIKE ?", Long.class, idPrefix + "%");
            assertThat(rows)
                    .as(
                            "%s: %s rows for order %s after the refused request (%s); expected none",
                            when, table, idPrefix, refused)
                    .isZero();
        }
    }

    private static List<String> pointers(Hub.Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("errors").forEach(e -> out.add(e.path("pointer").asText()));
        return out;
    }

    private static JsonNode errorAt(Hub.Answer a, String pointer) {
        for (JsonNode e : a.json().path("errors")) {
            if (pointer.equals(e.path("pointer").asText())) {
                return e;
            }
        }
        throw new AssertionError("no error at " + pointer + " in " + a);
    }

    // ------------------------------------------------------------------ data (invented)

    /** A valid order of a garden centre: two lines, picked up at {@code bu}. */
    static ObjectNode validDoc(String id, String bu) {
        String at = "2026-04-14T08:30:00+02:00";
        ObjectNode root = Hub.JSON.createObjectNode();
        ObjectNode o = root.putObject("customerOrder");
        o.put("customerOrderId", id);
        o.put("businessUnitId", bu);
        o.putObject("status").put("status", "IN_PROGRESS").put("changedDateTime", at);
        o.put("currencyId", "SEK");
        o.put("cartName", "balcony-garden");
        ArrayNode items = o.putArray("items");
        items.addObject()
                .put("lineItemId", "LI-10")
                .put("itemId", "GRD-3001")
                .put("itemName", "Terracotta pot 30 cm")
                .put("unitPrice", new BigDecimal("249.00"))
                .set("quantity", Hub.JSON.createObjectNode().put("value", 2).put("unitOfMeasure", "EA"));
        items.addObject()
                .put("lineItemId", "LI-20")
                .put("itemId", "GRD-4410")
                .put("itemName", "Potting soil 40 l")
                .put("unitPrice", new BigDecimal("89.50"))
                .set("quantity", Hub.JSON.createObjectNode().put("value", 1).put("unitOfMeasure", "EA"));
        ObjectNode f = o.putArray("fulfillments").addObject();
        f.put("fulfillmentId", "FF-1");
        f.put("fulfillmentMethod", "PICKUP_IN_STORE");
        f.put("fulfillmentBusinessUnitId", bu);
        f.putObject("status").put("status", "CREATED").put("changedDateTime", at);
        ArrayNode lines = f.putArray("lineItems");
        lines.addObject()
                .put("lineItemId", "LI-10")
                .put("itemId", "GRD-3001")
                .put("orderedQuantity", 2)
                .put("quantity", 0)
                .set(
                        "status",
                        Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", at));
        lines.addObject()
                .put("lineItemId", "LI-20")
                .put("itemId", "GRD-4410")
                .put("orderedQuantity", 1)
                .put("quantity", 0)
                .set(
                        "status",
                        Hub.JSON.createObjectNode().put("status", "CREATED").put("changedDateTime", at));
        o.putObject("customer").put("customerId", "C-778812").put("name", "Robin Lindqvist");
        return root;
    }

    private static Function<String, String> edit(BiConsumer<ObjectNode, String> change) {
        return id -> {
            ObjectNode doc = validDoc(id, BU);
            change.accept((ObjectNode) doc.get("customerOrder"), id);
            return doc.toString();
        };
    }

    private static ObjectNode obj(ObjectNode order, String pointer) {
        JsonNode n = order.at(pointer);
        if (!n.isObject()) {
            throw new IllegalStateException("test data has no object at " + pointer);
        }
        return (ObjectNode) n;
    }

    private static BadPut malformed(String description, Function<String, String> body) {
        return new BadPut(
                "malformed JSON: " + description, id -> id, body, Map.of(), 400, "malformed-json", List.of(), null);
    }

    private static BadPut invalid(String description, Function<String, String> body, String pointer) {
        return new BadPut(description, id -> id, body, Map.of(), 400, "validation", List.of(pointer), null);
    }

    private static BadPut invalidNaming(
            String description, Function<String, String> body, String mustContain, String pointer) {
        return new BadPut(description, id -> id, body, Map.of(), 400, "validation", List.of(pointer), mustContain);
    }

    private static BadPut mediaType(String contentType, Function<String, String> body) {
        return new BadPut(
                "Content-Type " + contentType,
                id -> id,
                body,
                Map.of("Content-Type", contentType),
                415,
                "unsupported-media-type",
                List.of(),
                null);
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(name, value);
        return m;
    }

    private static String orderPath(String idSegment) {
        return "/api/v1/business-units/" + BU + "/customer-orders/" + idSegment;
    }
}
