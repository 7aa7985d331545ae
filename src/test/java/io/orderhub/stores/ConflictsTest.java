package io.orderhub.stores;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * domain.md "Conflicts between the OMS and the store": the store's progress wins over a later OMS snapshot, goods handed
 * out cannot be taken back by one, and warehouse shipments follow the OMS. Also the hub-owned {@code orderCode}.
 * Each test plays an OMS (PUT, applied asynchronously) and a store's POS (store operations) over real HTTP.
 */
@HubTest
class ConflictsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORDER_CODE = "^C[0-9A-HJKMNP-TV-Z]{6}$";

    // the OMS's snapshot times, in the order it produced them; the store's operations happen at the real "now"
    private static final String T1 = "2026-03-01T10:00:00Z";
    private static final String T2 = "2026-03-02T10:00:00Z";
    private static final String T3 = "2026-03-03T10:00:00Z";
    private static final String T4 = "2026-03-04T10:00:00Z";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    Hub hub;
    String tenant;
    String oms;
    String s1;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("conflicts");
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        s1 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
    }

    // ---------------------------------------------------------------- goods handed out

    @Test
    void omsCancelAfterHandoutIsRejectedAndTheTrueStateIsPublishedBack() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        assertThat(storeOp(id, "F1", "deliver", null).status()).isEqualTo(200);
        JsonNode handedOut = read(id);

        ObjectNode cancel = withF1(OrderDocs.order(id, "S1", "CANCELLED", T2, "v2"), "CANCELLED", 0, 0);
        put(id, cancel, Map.of("Correlation-Id", "oms-cancel-" + id));
        awaitEvents(id, 2);

        JsonNode rejected = lastEvent(id);
        assertThat(rejected.path("outcome").asText())
                .as("outcome of a cancel after handout: %s", rejected)
                .isEqualTo("REJECTED_CONFLICT");
        assertThat(rejected.path("detail").asText()).contains("F1");
        assertThat(rejected.path("correlationId").asText()).isEqualTo("oms-cancel-" + id);

        JsonNode stored = read(id);
        assertThat(stored).as("the stored order keeps the store's state").isEqualTo(handedOut);
        JsonNode f1 = stored.at("/customerOrder/fulfillments/0");
        assertThat(status(f1)).isEqualTo("FULFILLED");
        assertThat(f1.at("/lineItems/0/quantity").asInt()).isEqualTo(1);
        assertThat(f1.at("/lineItems/1/quantity").asInt()).isEqualTo(3);
        assertThat(stored.at("/customerOrder/cartName").asText())
                .as("rejected as a whole: not even the cart name applies")
                .isEqualTo("v1");

        // the OMS hears the true state at once, in an update it does not take for its own echo
        List<Map<String, Object>> hubRows = outbox(id, "HUB");
        assertThat(hubRows).as("outbox rows with origin HUB for %s", id).hasSize(1);
        assertThat(hubRows.get(0).get("correlation_id")).isEqualTo("oms-cancel-" + id);
        JsonNode published = json((String) hubRows.get(0).get("payload"));
        assertThat(published).as("the published true state").isEqualTo(stored);
    }

    @Test
    void omsSnapshotLoweringAPartlyHandedOutQuantityIsRejected() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        deliverOne(id, "2");

        // the OMS, unaware of the handout, sends its next snapshot with nothing picked
        put(id, OrderDocs.order(id, "S1", "IN_PROGRESS", T2, "v2"), Map.of());
        awaitEvents(id, 2);

        JsonNode rejected = lastEvent(id);
        assertThat(rejected.path("outcome").asText()).as("%s", rejected).isEqualTo("REJECTED_CONFLICT");
        assertThat(rejected.path("detail").asText()).contains("F1", "line 2");
        JsonNode stored = read(id);
        assertThat(stored.at("/customerOrder/fulfillments/0/lineItems/1/quantity")
                        .asInt())
                .as("picked quantity of line 2 after the refused snapshot")
                .isEqualTo(1);
        assertThat(stored.at("/customerOrder/cartName").asText()).isEqualTo("v1");
        assertThat(outbox(id, "HUB")).hasSize(1);
    }

    @Test
    void omsSnapshotRemovingAPartlyHandedOutFulfilmentIsRejected() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        deliverOne(id, "2");

        ObjectNode withoutF1 = OrderDocs.withoutFulfillments(OrderDocs.order(id, "S1", "IN_PROGRESS", T2, "v2"));
        OrderDocs.addFulfillment(withoutF1, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, "CREATED", null, null, null);
        put(id, withoutF1, Map.of());
        awaitEvents(id, 2);

        JsonNode rejected = lastEvent(id);
        assertThat(rejected.path("outcome").asText()).as("%s", rejected).isEqualTo("REJECTED_CONFLICT");
        assertThat(rejected.path("detail").asText()).contains("F1");
        JsonNode fulfilments = read(id).at("/customerOrder/fulfillments");
        assertThat(fulfilments.findValuesAsText("fulfillmentId")).containsExactly("F1");
        assertThat(fulfilments.at("/0/lineItems/1/quantity").asInt()).isEqualTo(1);
    }

    @Test
    void afterARejectionTheOmsCorrectedSnapshotApplies() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        deliverOne(id, "2");
        put(id, OrderDocs.order(id, "S1", "IN_PROGRESS", T2, "v2"), Map.of());
        awaitEvents(id, 2);
        assertThat(lastEvent(id).path("outcome").asText()).isEqualTo("REJECTED_CONFLICT");

        // corrected from what the hub published: line 2 has one picked
        ObjectNode corrected = OrderDocs.order(id, "S1", "IN_PROGRESS", T3, "v3");
        ((ObjectNode) corrected.at("/customerOrder/fulfillments/0/lineItems/1")).put("quantity", 1);
        put(id, corrected, Map.of());
        awaitEvents(id, 3);

        assertThat(eventOutcomes(id)).containsExactly("APPLIED", "REJECTED_CONFLICT", "APPLIED");
        JsonNode stored = read(id);
        assertThat(stored.at("/customerOrder/cartName").asText()).isEqualTo("v3");
        assertThat(stored.at("/customerOrder/fulfillments/0/lineItems/1/quantity")
                        .asInt())
                .isEqualTo(1);
    }

    // ---------------------------------------------------------------- ready, nothing handed out

    @Test
    void laterOmsSnapshotSayingCreatedDoesNotUndoReadyForPickupButAppliesTheRest() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        Hub.Answer ready = storeOp(id, "F1", "ready-for-pickup", null);
        assertThat(ready.status()).as("%s", ready).isEqualTo(200);
        JsonNode readyLines = ready.json().at("/customerOrder/fulfillments/0/lineItems");

        // later than the last OMS snapshot, though earlier than the store's operation: store times never count
        put(id, OrderDocs.order(id, "S1", "CREATED", T2, "v2"), Map.of());
        awaitEvents(id, 2);

        JsonNode applied = lastEvent(id);
        assertThat(applied.path("outcome").asText()).as("%s", applied).isEqualTo("APPLIED");
        assertThat(applied.path("detail").asText())
                .as("the kept status is noted in the history")
                .contains("F1", "READY_FOR_PICKUP");
        JsonNode stored = read(id);
        assertThat(stored.at("/customerOrder/cartName").asText())
                .as("the rest of the snapshot applies")
                .isEqualTo("v2");
        JsonNode f1 = stored.at("/customerOrder/fulfillments/0");
        assertThat(status(f1)).isEqualTo("READY_FOR_PICKUP");
        for (int i = 0; i < 2; i++) {
            JsonNode line = f1.at("/lineItems/" + i);
            assertThat(status(line)).as("status of line %s", i).isEqualTo("READY_FOR_PICKUP");
            assertThat(line.path("readyForPickupDateTime"))
                    .as("readyForPickupDateTime of line %s", i)
                    .isEqualTo(readyLines.at("/" + i + "/readyForPickupDateTime"));
        }
        assertThat(status(stored.get("customerOrder")))
                .as("the order does not fall back behind the store's work")
                .isNotEqualTo("CREATED");
    }

    @Test
    void omsMayCancelAFulfilmentThatIsReadyButNotHandedOut() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        assertThat(storeOp(id, "F1", "ready-for-pickup", null).status()).isEqualTo(200);

        put(id, withF1(OrderDocs.order(id, "S1", "CANCELLED", T2, "v2"), "CANCELLED", 0, 0), Map.of());
        awaitEvents(id, 2);

        assertThat(eventOutcomes(id)).containsExactly("APPLIED", "APPLIED");
        JsonNode stored = read(id).get("customerOrder");
        assertThat(status(stored)).isEqualTo("CANCELLED");
        JsonNode f1 = stored.at("/fulfillments/0");
        assertThat(status(f1)).isEqualTo("CANCELLED");
        assertThat(status(f1.at("/lineItems/0"))).isEqualTo("CANCELLED");
        assertThat(status(f1.at("/lineItems/1"))).isEqualTo("CANCELLED");
        assertThat(outbox(id, "HUB"))
                .as("nothing to correct, nothing sent back")
                .isEmpty();

        // and the store cannot hand out what was cancelled
        Hub.Answer deliver = storeOp(id, "F1", "deliver", null);
        assertThat(deliver.status()).as("%s", deliver).isEqualTo(409);
    }

    // ---------------------------------------------------------------- warehouse shipments

    @Test
    void warehouseFulfilmentFollowsTheOmsEntirely() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, warehouseOnly(id, "CREATED", T1, "CREATED"), 1);
        assertThat(read(id).at("/customerOrder/fulfillments/0").has("orderCode"))
                .as("no order code for a warehouse shipment")
                .isFalse();

        put(id, warehouseOnly(id, "FULFILLED", T2, "FULFILLED"), Map.of());
        awaitEvents(id, 2);
        assertThat(status(read(id).at("/customerOrder/fulfillments/0"))).isEqualTo("FULFILLED");

        put(id, warehouseOnly(id, "CANCELLED", T3, "CANCELLED"), Map.of());
        awaitEvents(id, 3);
        put(id, warehouseOnly(id, "CREATED", T4, "CREATED"), Map.of());
        awaitEvents(id, 4);

        assertThat(eventOutcomes(id)).containsExactly("APPLIED", "APPLIED", "APPLIED", "APPLIED");
        JsonNode w1 = read(id).at("/customerOrder/fulfillments/0");
        assertThat(status(w1)).isEqualTo("CREATED");
        assertThat(w1.at("/lineItems/0/quantity").asInt()).isZero();
        assertThat(outbox(id, "HUB")).isEmpty();
    }

    @Test
    void conflictsArePerFulfilmentSoTheWarehousePartOfASplitOrderFollowsTheOms() {
        String id = Hub.uniqueId("O");
        ObjectNode first = OrderDocs.order(id, "S1", "CREATED", T1, "v1");
        OrderDocs.addFulfillment(first, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, "CREATED", null, null, null);
        putAndAwait(id, first, 1);
        assertThat(storeOp(id, "F1", "deliver", null).status()).isEqualTo(200);

        // the OMS knows of the handout and now cancels the warehouse part
        ObjectNode second = withF1(OrderDocs.order(id, "S1", "IN_PROGRESS", T2, "v2"), "FULFILLED", 1, 3);
        OrderDocs.addFulfillment(second, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, "CANCELLED", null, null, null);
        put(id, second, Map.of());
        awaitEvents(id, 2);

        assertThat(eventOutcomes(id)).containsExactly("APPLIED", "APPLIED");
        JsonNode stored = read(id).get("customerOrder");
        assertThat(status(stored.at("/fulfillments/0"))).isEqualTo("FULFILLED");
        assertThat(stored.at("/fulfillments/0/lineItems/1/quantity").asInt()).isEqualTo(3);
        assertThat(status(stored.at("/fulfillments/1"))).isEqualTo("CANCELLED");
        assertThat(stored.path("cartName").asText()).isEqualTo("v2");
    }

    // ---------------------------------------------------------------- order codes

    @Test
    void pickupFulfilmentGetsAnOrderCodeThatALaterSnapshotCannotEraseAndSearchFinds() {
        String id = Hub.uniqueId("O");
        putAndAwait(id, OrderDocs.order(id, "S1", "CREATED", T1, "v1"), 1);
        String code = read(id).at("/customerOrder/fulfillments/0/orderCode").asText();
        assertThat(code).as("minted order code").matches(ORDER_CODE);

        // the OMS's next snapshot does not carry the hub's code
        ObjectNode later = OrderDocs.order(id, "S1", "CREATED", T2, "v2");
        assertThat(later.at("/customerOrder/fulfillments/0").has("orderCode")).isFalse();
        put(id, later, Map.of());
        awaitEvents(id, 2);

        assertThat(eventOutcomes(id)).containsExactly("APPLIED", "APPLIED");
        JsonNode stored = read(id);
        assertThat(stored.at("/customerOrder/cartName").asText()).isEqualTo("v2");
        assertThat(stored.at("/customerOrder/fulfillments/0/orderCode").asText())
                .as("order code after a snapshot without it")
                .isEqualTo(code);

        Hub.Answer found = hub.send(
                "POST", "/api/v1/business-units/S1/customer-orders:search", oms, "{\"orderCode\": \"" + code + "\"}");
        assertThat(found.status()).as("%s", found).isEqualTo(200);
        assertThat(found.json().get("customerOrders").findValuesAsText("customerOrderId"))
                .as("orders found by code %s", code)
                .containsExactly(id);
        assertThat(found.json().at("/customerOrders/0/fulfillments/0/orderCode").asText())
                .isEqualTo(code);
    }

    @Test
    void anOrderCodeTheOmsSendsIsKeptNotReplaced() {
        String id = Hub.uniqueId("O");
        String code = OrderDocs.randomOrderCode();
        ObjectNode doc = OrderDocs.withoutFulfillments(OrderDocs.order(id, "S1", "CREATED", T1, "v1"));
        OrderDocs.addFulfillment(doc, "F1", "HOME_DELIVERY_FROM_STORE", "S1", "CREATED", code, "a@example.test", null);
        putAndAwait(id, doc, 1);

        assertThat(read(id).at("/customerOrder/fulfillments/0/orderCode").asText())
                .isEqualTo(code);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code root} with fulfilment F1 and both its lines in {@code status}, lines 1 and 2 picked as given. */
    private static ObjectNode withF1(ObjectNode root, String status, int picked1, int picked2) {
        ObjectNode f1 = (ObjectNode) root.at("/customerOrder/fulfillments/0");
        ((ObjectNode) f1.get("status")).put("status", status);
        ((ObjectNode) f1.at("/lineItems/0")).put("quantity", picked1);
        ((ObjectNode) f1.at("/lineItems/0/status")).put("status", status);
        ((ObjectNode) f1.at("/lineItems/1")).put("quantity", picked2);
        ((ObjectNode) f1.at("/lineItems/1/status")).put("status", status);
        return root;
    }

    /** An order whose only fulfilment, W1, ships from the warehouse in {@code fulfilmentStatus}. */
    private static ObjectNode warehouseOnly(String id, String orderStatus, String at, String fulfilmentStatus) {
        ObjectNode doc = OrderDocs.withoutFulfillments(OrderDocs.order(id, "S1", orderStatus, at, "v-" + at));
        return OrderDocs.addFulfillment(
                doc, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, fulfilmentStatus, null, null, null);
    }

    private void put(String id, ObjectNode doc, Map<String, String> headers) {
        Hub.Answer a = hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, oms, doc.toString(), headers);
        assertThat(a.status()).as("PUT %s: %s", id, a).isEqualTo(202);
    }

    private void putAndAwait(String id, ObjectNode doc, int events) {
        put(id, doc, Map.of());
        awaitEvents(id, events);
        assertThat(lastEvent(id).path("outcome").asText())
                .as("outcome of PUT %s", doc)
                .isEqualTo("APPLIED");
    }

    private Hub.Answer storeOp(String id, String fid, String verb, String body) {
        return hub.send(
                "POST",
                "/api/v1/business-units/S1/customer-orders/" + id + "/fulfillments/" + fid + ":" + verb,
                s1,
                body);
    }

    private void deliverOne(String id, String lineItemId) {
        Hub.Answer a = storeOp(
                id, "F1", "deliver", "{\"lineItems\": [{\"lineItemId\": \"" + lineItemId + "\", \"quantity\": 1}]}");
        assertThat(a.status()).as("deliver %s", a).isEqualTo(200);
    }

    private JsonNode read(String id) {
        Hub.Answer a = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, oms, null);
        assertThat(a.status()).as("GET %s", a).isEqualTo(200);
        return a.json();
    }

    /** The history entries of the OMS's events (store operations left out), oldest first. */
    private List<JsonNode> events(String id) {
        Hub.Answer a = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", oms, null);
        List<JsonNode> events = new ArrayList<>();
        if (a.status() == 200) {
            a.json().get("entries").forEach(e -> {
                if ("EVENT".equals(e.path("kind").asText())) {
                    events.add(e);
                }
            });
        }
        return events;
    }

    private List<String> eventOutcomes(String id) {
        return events(id).stream().map(e -> e.path("outcome").asText()).toList();
    }

    private JsonNode lastEvent(String id) {
        List<JsonNode> events = events(id);
        return events.get(events.size() - 1);
    }

    private void awaitEvents(String id, int n) {
        Hub.await(WAIT, n + " applied events of " + id, () -> events(id).size() >= n);
    }

    private List<Map<String, Object>> outbox(String id, String origin) {
        return db.queryForList(
                "SELECT origin, correlation_id, payload FROM outbox_event"
                        + " WHERE tenant_id = ? AND customer_order_id = ? AND origin = ? ORDER BY seq",
                tenant,
                id,
                origin);
    }

    private static JsonNode json(String text) {
        try {
            return Hub.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String status(JsonNode holder) {
        return holder.path("status").path("status").asText();
    }
}
