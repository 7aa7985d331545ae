package io.orderhub.stores;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** domain.md "Store operations" and "Shipment ownership", over HTTP the way a POS calls them. */
@HubTest
class StoreOperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    OrderDocumentValidator validator;

    Hub hub;
    String tenant;
    String oms;
    String s1;
    String s2;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("store-ops");
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        s1 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
        s2 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S2\"]");
    }

    // ---------------------------------------------------------------- ready for pickup

    @Test
    void readyForPickupMovesTheFulfilmentAndItsLinesAndStartsTheOrder() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));

        Hub.Answer ready = op(s1, "S1", id, "F1", "ready-for-pickup", null, Map.of());

        assertThat(ready.status()).as("%s", ready).isEqualTo(200);
        JsonNode order = valid(ready).get("customerOrder");
        JsonNode f = order.get("fulfillments").get(0);
        assertThat(status(f)).isEqualTo("READY_FOR_PICKUP");
        for (JsonNode line : f.get("lineItems")) {
            assertThat(status(line)).isEqualTo("READY_FOR_PICKUP");
            assertThat(OrderDocumentValidator.isRfc3339DateTime(
                            line.get("readyForPickupDateTime").asText()))
                    .isTrue();
        }
        assertThat(status(order)).isEqualTo("IN_PROGRESS");
        assertThat(read(s1, "S1", id)).isEqualTo(ready.json());
        JsonNode entry = lastHistory(id);
        assertThat(entry.get("kind").asText()).isEqualTo("READY_FOR_PICKUP");
        assertThat(entry.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(entry.get("origin").asText()).isEqualTo("STORE");
        assertThat(entry.get("actor").asText()).contains("S1");
        assertThat(entry.get("correlationId").asText()).isNotBlank();
    }

    @Test
    void readyForPickupTwiceChangesNothingTheSecondTime() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        Hub.Answer first = op(s1, "S1", id, "F1", "ready-for-pickup", null, Map.of());
        Hub.Answer second = op(s1, "S1", id, "F1", "ready-for-pickup", null, Map.of());

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(lastHistory(id).get("outcome").asText()).isEqualTo("UNCHANGED");
        assertThat(outboxRows(id, "STORE")).isEqualTo(1);
    }

    @Test
    void readyForPickupOfAFulfilledOrCancelledFulfilmentIsAnInvalidTransition() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        assertThat(op(s1, "S1", id, "F1", "deliver", null, Map.of()).status()).isEqualTo(200);

        Hub.Answer refused = op(s1, "S1", id, "F1", "ready-for-pickup", null, Map.of());
        assertThat(refused.status()).as("%s", refused).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:orderhub:problem:invalid-transition");
        assertThat(refused.json().get("detail").asText()).contains("F1", "FULFILLED");

        ObjectNode cancelled = OrderDocs.order(Hub.uniqueId("O"), "S1", "CANCELLED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) cancelled.at("/customerOrder/fulfillments/0/status")).put("status", "CANCELLED");
        String cancelledId = stored(cancelled);
        Hub.Answer refusedToo = op(s1, "S1", cancelledId, "F1", "ready-for-pickup", null, Map.of());
        assertThat(refusedToo.status()).isEqualTo(409);
        assertThat(refusedToo.json().get("detail").asText()).contains("CANCELLED");
        assertThat(read(s1, "S1", cancelledId)
                        .at("/customerOrder/fulfillments/0/status/status")
                        .asText())
                .isEqualTo("CANCELLED");
    }

    // ---------------------------------------------------------------- deliver

    @Test
    void deliverWithoutABodyHandsOutEverythingAndFulfilsTheOrder() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        op(s1, "S1", id, "F1", "ready-for-pickup", null, Map.of());

        Hub.Answer delivered = op(s1, "S1", id, "F1", "deliver", null, Map.of());

        assertThat(delivered.status()).as("%s", delivered).isEqualTo(200);
        JsonNode order = valid(delivered).get("customerOrder");
        JsonNode f = order.get("fulfillments").get(0);
        assertThat(status(f)).isEqualTo("FULFILLED");
        assertThat(f.get("lineItems").get(0).get("quantity").asText()).isEqualTo("1");
        assertThat(f.get("lineItems").get(1).get("quantity").asText()).isEqualTo("3");
        assertThat(status(f.get("lineItems").get(1))).isEqualTo("FULFILLED");
        assertThat(status(order)).isEqualTo("FULFILLED");
        assertThat(lastHistory(id).get("detail").asText()).contains("line 1 +1", "line 2 +3");
    }

    @Test
    void partialDeliveriesFulfilLinesOneByOneThenTheFulfilmentThenTheOrder() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));

        JsonNode first = deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}");
        assertThat(line(first, 1).get("quantity").asInt()).isEqualTo(1);
        assertThat(status(line(first, 1))).isEqualTo("CREATED");
        assertThat(status(first.at("/customerOrder/fulfillments/0"))).isEqualTo("CREATED");
        assertThat(status(first.get("customerOrder"))).isEqualTo("IN_PROGRESS");

        JsonNode second = deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}]}");
        assertThat(status(line(second, 0))).isEqualTo("FULFILLED");
        assertThat(status(line(second, 1))).isEqualTo("CREATED");
        assertThat(status(second.at("/customerOrder/fulfillments/0"))).isEqualTo("CREATED");

        JsonNode third = deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 2}]}");
        assertThat(line(third, 1).get("quantity").asInt()).isEqualTo(3);
        assertThat(status(line(third, 1))).isEqualTo("FULFILLED");
        assertThat(status(third.at("/customerOrder/fulfillments/0"))).isEqualTo("FULFILLED");
        assertThat(status(third.get("customerOrder"))).isEqualTo("FULFILLED");
        valid(third);
    }

    @Test
    void anOrderIsFulfilledOnlyWhenEveryFulfilmentIsDone() {
        ObjectNode doc = OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1");
        OrderDocs.addFulfillment(doc, "F2", "PICKUP_IN_STORE", "S2", "CREATED", null, null, null);
        String id = stored(doc);

        JsonNode afterS1 = deliver(s1, "S1", id, "F1", null);
        assertThat(status(afterS1.at("/customerOrder/fulfillments/0"))).isEqualTo("FULFILLED");
        assertThat(status(afterS1.get("customerOrder"))).isEqualTo("IN_PROGRESS");

        JsonNode afterS2 = deliver(s2, "S2", id, "F2", null);
        assertThat(status(afterS2.get("customerOrder"))).isEqualTo("FULFILLED");
    }

    @Test
    void deliverWhenNothingIsLeftAnswers200AndChangesNothing() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        JsonNode done = deliver(s1, "S1", id, "F1", null);
        int outbox = outboxRows(id, "STORE");

        Hub.Answer again = op(s1, "S1", id, "F1", "deliver", null, Map.of());

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(done);
        assertThat(lastHistory(id).get("outcome").asText()).isEqualTo("UNCHANGED");
        assertThat(outboxRows(id, "STORE")).isEqualTo(outbox);
    }

    @Test
    void overDeliveryIs400AndChangesNothing() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 2}]}");
        JsonNode before = read(s1, "S1", id);

        Hub.Answer refused = op(
                s1, "S1", id, "F1", "deliver", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 2}]}", Map.of());

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/lineItems/0/quantity");
        assertThat(refused.json().get("errors").get(0).get("message").asText()).contains("only 1 of 3");
        assertThat(read(s1, "S1", id)).isEqualTo(before);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsNotASecondDelivery() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        String one = "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}";

        Hub.Answer first = op(s1, "S1", id, "F1", "deliver", one, Map.of("Idempotency-Key", "pos-42-a"));
        Hub.Answer retry = op(s1, "S1", id, "F1", "deliver", one, Map.of("Idempotency-Key", "pos-42-a"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(line(read(s1, "S1", id), 1).get("quantity").asInt()).isEqualTo(1);

        // without a key, a second partial delivery of the same quantities is exactly that
        Hub.Answer second = op(s1, "S1", id, "F1", "deliver", one, Map.of());
        assertThat(line(second.json(), 1).get("quantity").asInt()).isEqualTo(2);

        Hub.Answer reused = op(
                s1,
                "S1",
                id,
                "F1",
                "deliver",
                "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}]}",
                Map.of("Idempotency-Key", "pos-42-a"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(line(read(s1, "S1", id), 0).get("quantity").asInt()).isZero();
    }

    @Test
    void twoConcurrentDeliversOfTheLastUnitsNeverExceedTheOrderedQuantity() throws Exception {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}");
        String lastTwo = "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 2}]}";

        List<Hub.Answer> answers = race(8, () -> op(s1, "S1", id, "F1", "deliver", lastTwo, Map.of()));

        assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(a -> a.status() == 400).hasSize(7);
        JsonNode after = read(s1, "S1", id);
        assertThat(line(after, 1).get("quantity").asInt()).isEqualTo(3);
        assertThat(status(line(after, 1))).isEqualTo("FULFILLED");
    }

    @Test
    void concurrentPartialDeliversOfDifferentLinesAreAllKept() throws Exception {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        List<String> bodies = List.of(
                "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}]}",
                "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}",
                "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}",
                "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}");
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Hub.Answer>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return op(s1, "S1", id, "F1", "deliver", body, Map.of());
                }));
            }
            start.countDown();
            for (Future<Hub.Answer> f : futures) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode after = read(s1, "S1", id);
        assertThat(line(after, 0).get("quantity").asInt()).isEqualTo(1);
        assertThat(line(after, 1).get("quantity").asInt()).isEqualTo(3);
        assertThat(status(after.get("customerOrder"))).isEqualTo("FULFILLED");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badDeliverRequestsAre4xxProblemsAndChangeNothing() {
        ObjectNode doc = OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) doc.at("/customerOrder/items/1/quantity")).put("unitOfMeasure", "KGM");
        String id = stored(doc);
        JsonNode before = read(s1, "S1", id);

        assertProblem(op(s1, "S1", id, "F9", "deliver", null, Map.of()), 404, null);
        assertProblem(
                op(
                        s1,
                        "S1",
                        id,
                        "F1",
                        "deliver",
                        "{\"lineItems\": [{\"lineItemId\": \"7\", \"quantity\": 1}]}",
                        Map.of()),
                400,
                "/lineItems/0/lineItemId");
        assertProblem(
                op(
                        s1,
                        "S1",
                        id,
                        "F1",
                        "deliver",
                        "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}, {\"lineItemId\": \"1\", \"quantity\": 1}]}",
                        Map.of()),
                400,
                "/lineItems/1/lineItemId");
        assertProblem(
                op(
                        s1,
                        "S1",
                        id,
                        "F1",
                        "deliver",
                        "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 0}]}",
                        Map.of()),
                400,
                "/lineItems/0/quantity");
        assertProblem(
                op(
                        s1,
                        "S1",
                        id,
                        "F1",
                        "deliver",
                        "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": -1}]}",
                        Map.of()),
                400,
                "/lineItems/0/quantity");
        assertProblem(
                op(
                        s1,
                        "S1",
                        id,
                        "F1",
                        "deliver",
                        "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 0.5}]}",
                        Map.of()),
                400,
                "/lineItems/0/quantity");
        assertProblem(op(s1, "S1", id, "F1", "deliver", "{\"lineItems\": [", Map.of()), 400, null);
        assertProblem(op(s1, "S1", id, "F1", "deliver", "{\"lines\": []}", Map.of()), 400, "/lines");
        assertProblem(op(s1, "S1", id, "F1", "hand-out", null, Map.of()), 404, null);
        assertThat(read(s1, "S1", id)).isEqualTo(before);

        // a line measured in kilograms may be handed out in part of a unit
        JsonNode weighed =
                deliver(s1, "S1", id, "F1", "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 0.25}]}");
        assertThat(line(weighed, 1).get("quantity").decimalValue()).isEqualByComparingTo("0.25");
        valid(weighed);
    }

    // ---------------------------------------------------------------- ownership

    @Test
    void ownershipOnASplitOrderIsPerFulfilment() {
        ObjectNode doc = OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1");
        OrderDocs.addFulfillment(doc, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, "CREATED", null, null, null);
        OrderDocs.addFulfillment(doc, "F2", "HOME_DELIVERY_FROM_STORE", "S2", "CREATED", null, null, null);
        String id = stored(doc);
        String anyStore = hub.newTenantKey(tenant, "[\"store\"]", null);

        // the warehouse shipment is locked for every store, its placing store included
        for (String[] caller : new String[][] {{s1, "S1"}, {s2, "S2"}, {anyStore, "S1"}}) {
            Hub.Answer locked = op(caller[0], caller[1], id, "W1", "ready-for-pickup", null, Map.of());
            assertProblem(locked, 409, null);
            assertThat(locked.json().get("type").asText()).isEqualTo("urn:orderhub:problem:shipment-locked");
            assertThat(locked.json().get("fulfillmentId").asText()).isEqualTo("W1");
            assertThat(locked.json().get("owner").asText()).isEqualTo("WAREHOUSE");
        }
        // a store shipment is its store's alone
        Hub.Answer notYours = op(s1, "S1", id, "F2", "deliver", null, Map.of());
        assertProblem(notYours, 409, null);
        assertThat(notYours.json().get("owner").asText()).isEqualTo("STORE S2");
        assertThat(notYours.json().get("detail").asText()).contains("F2", "S2");
        Hub.Answer notYoursEither = op(s2, "S2", id, "F1", "deliver", null, Map.of());
        assertThat(notYoursEither.json().get("owner").asText()).isEqualTo("STORE S1");
        // a key restricted to S1 cannot even speak as S2
        assertThat(op(s1, "S2", id, "F2", "deliver", null, Map.of()).status()).isEqualTo(403);

        assertThat(op(s1, "S1", id, "F1", "deliver", null, Map.of()).status()).isEqualTo(200);
        assertThat(op(s2, "S2", id, "F2", "ready-for-pickup", null, Map.of()).status())
                .isEqualTo(200);
        JsonNode after = read(s1, "S1", id).get("customerOrder");
        assertThat(status(after.get("fulfillments").get(1)))
                .as("warehouse shipment untouched")
                .isEqualTo("CREATED");
    }

    @Test
    void anOrderAStoreCannotSeeIs404AndAnOmsKeyCannotOperate() {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));
        assertProblem(op(s2, "S2", id, "F1", "ready-for-pickup", null, Map.of()), 404, null);
        assertThat(op(oms, "S1", id, "F1", "ready-for-pickup", null, Map.of()).status())
                .isEqualTo(403);
        assertProblem(op(s1, "S1", "no-such-order", "F1", "deliver", null, Map.of()), 404, null);
    }

    @Test
    void aWarehouseShippedOrderIsFoundAndReadByAnyStoreForReturnsButNotOperated() {
        String customer = Hub.uniqueId("CUST");
        ObjectNode doc = OrderDocs.withoutFulfillments(
                OrderDocs.order(Hub.uniqueId("O"), "S1", "FULFILLED", "2026-03-01T10:00:00Z", "v1"));
        OrderDocs.addFulfillment(doc, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, "FULFILLED", null, null, null);
        ((ObjectNode) doc.at("/customerOrder/customer")).put("customerId", customer);
        String id = stored(doc);
        String s7 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S7\"]");

        Hub.Answer found = hub.send(
                "POST",
                "/api/v1/business-units/S7/customer-orders:search",
                s7,
                "{\"customerId\": \"" + customer + "\"}");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().at("/customerOrders/0/customerOrderId").asText())
                .isEqualTo(id);
        assertThat(read(s7, "S7", id).at("/customerOrder/customerOrderId").asText())
                .isEqualTo(id);

        Hub.Answer locked = op(s7, "S7", id, "W1", "deliver", null, Map.of());
        assertProblem(locked, 409, null);
        assertThat(locked.json().get("owner").asText()).isEqualTo("WAREHOUSE");
    }

    @Test
    void storeOperationsAreRefusedInProxyMode() {
        String proxyTenant = Hub.uniqueTenant("store-proxy");
        String key = hub.newTenantKey(proxyTenant, "[\"store\"]", "[\"S1\"]");
        Hub.Answer mode = hub.send(
                "PUT",
                "/admin/v1/tenants/" + proxyTenant,
                Hub.ADMIN_TOKEN,
                "{\"mode\": \"proxy\", \"proxyBaseUrl\": \"https://oms.example.com\"}");
        assertThat(mode.status()).as("%s", mode).isEqualTo(200);
        assertThat(op(key, "S1", "O1", "F1", "deliver", null, Map.of()).status())
                .isEqualTo(405);
    }

    // ---------------------------------------------------------------- helpers

    private String stored(ObjectNode doc) {
        String id = doc.at("/customerOrder/customerOrderId").asText();
        String bu = doc.at("/customerOrder/businessUnitId").asText();
        Hub.Answer put =
                hub.send("PUT", "/api/v1/business-units/" + bu + "/customer-orders/" + id, oms, doc.toString());
        assertThat(put.status()).as("PUT %s", put).isEqualTo(202);
        Hub.await(
                WAIT,
                "order " + id + " applied",
                () -> hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id, oms, null)
                                .status()
                        == 200);
        return id;
    }

    private Hub.Answer op(
            String key, String bu, String id, String fid, String verb, String body, Map<String, String> h) {
        return hub.send(
                "POST",
                "/api/v1/business-units/" + bu + "/customer-orders/" + id + "/fulfillments/" + fid + ":" + verb,
                key,
                body,
                h);
    }

    private JsonNode deliver(String key, String bu, String id, String fid, String body) {
        Hub.Answer a = op(key, bu, id, fid, "deliver", body, Map.of());
        assertThat(a.status()).as("deliver %s", a).isEqualTo(200);
        return a.json();
    }

    private JsonNode read(String key, String bu, String id) {
        Hub.Answer a = hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id, key, null);
        assertThat(a.status()).as("GET %s", a).isEqualTo(200);
        return a.json();
    }

    private JsonNode lastHistory(String id) {
        JsonNode entries = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", oms, null)
                .json()
                .get("entries");
        return entries.get(entries.size() - 1);
    }

    private int outboxRows(String id, String origin) {
        return db.queryForObject(
                "SELECT count(*) FROM outbox_event WHERE tenant_id = ? AND customer_order_id = ? AND origin = ?",
                Integer.class,
                tenant,
                id,
                origin);
    }

    private JsonNode valid(Hub.Answer answer) {
        JsonNode json = answer.json();
        assertThat(validator.validate(json)).as("v2 violations of %s", json).isEmpty();
        return json;
    }

    private JsonNode valid(JsonNode json) {
        assertThat(validator.validate(json)).as("v2 violations of %s", json).isEmpty();
        return json;
    }

    private static JsonNode line(JsonNode root, int index) {
        return root.at("/customerOrder/fulfillments/0/lineItems/" + index);
    }

    private static String status(JsonNode holder) {
        return holder.path("status").path("status").asText();
    }

    private static void assertProblem(Hub.Answer answer, int status, String pointer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        if (pointer != null) {
            assertThat(answer.json().get("errors").findValuesAsText("pointer")).contains(pointer);
        }
    }

    private static List<Hub.Answer> race(int n, Callable<Hub.Answer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Hub.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Hub.Answer> answers = new ArrayList<>();
            for (Future<Hub.Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
