package io.orderhub.stores;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * api.md "Create a store order": an order taken at a store's POS, stored at once with an id the hub mints, visible to
 * the stores it involves, safe to retry with {@code Idempotency-Key}, published with origin STORE, and open to the
 * OMS's later updates. Over real HTTP with store keys restricted to their store, as a POS has.
 */
@HubTest
class StoreOrdersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORDER_CODE = "^C[0-9A-HJKMNP-TV-Z]{6}$";
    private static final String URL_SAFE_ID = "^[A-Za-z0-9._-]{1,128}$";
    private static final String ORDERS = "/api/v1/business-units/%s/customer-orders";

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
    String s3;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("store-orders");
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        s1 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
        s2 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S2\"]");
        s3 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S3\"]");
    }

    // ---------------------------------------------------------------- creating

    @Test
    void storeToStoreOrderIsCreatedWithAMintedIdDefaultStatusAndOrderCode() {
        Instant before = Instant.now();
        Hub.Answer created = create(s1, "S1", storeToStorePickup("cart-1").toString(), Map.of());
        Instant after = Instant.now();

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode order = created.json().get("customerOrder");
        String id = order.path("customerOrderId").asText();
        assertThat(id).as("minted order id").matches(URL_SAFE_ID);
        assertThat(created.header("Location")).isEqualTo(ORDERS.formatted("S1") + "/" + id);
        assertThat(order.path("businessUnitId").asText())
                .as("placed at the store of the path")
                .isEqualTo("S1");
        assertThat(order.at("/status/status").asText()).isEqualTo("CREATED");
        String changed = order.at("/status/changedDateTime").asText();
        assertThat(OrderDocumentValidator.isRfc3339DateTime(changed))
                .as("changedDateTime %s is RFC 3339", changed)
                .isTrue();
        assertThat(Instant.parse(changed)).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        JsonNode f1 = order.at("/fulfillments/0");
        assertThat(f1.path("fulfillmentBusinessUnitId").asText()).isEqualTo("S2");
        assertThat(f1.path("orderCode").asText()).as("minted order code").matches(ORDER_CODE);
        assertThat(order.path("cartName").asText()).isEqualTo("cart-1");
        assertThat(validator.validate(created.json()))
                .as("v2 violations of %s", created.json())
                .isEmpty();

        assertThat(read(s1, "S1", id)).as("what GET returns").isEqualTo(created.json());
        assertThat(hub.send("GET", created.header("Location"), s1, null).json()).isEqualTo(created.json());
    }

    @Test
    void createdOrderIsPublishedOnceWithOriginStoreAndRecordedInHistory() {
        Hub.Answer created =
                create(s1, "S1", storeToStorePickup("cart-1").toString(), Map.of("Correlation-Id", "pos-create-1"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.json().at("/customerOrder/customerOrderId").asText();

        List<Map<String, Object>> rows = db.queryForList(
                "SELECT origin, business_unit_id, array_to_string(business_units, ',') AS bus, correlation_id, payload"
                        + " FROM outbox_event WHERE tenant_id = ? AND customer_order_id = ?",
                tenant,
                id);
        assertThat(rows).as("outbox rows of the new order").hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("origin")).isEqualTo("STORE");
        assertThat(row.get("business_unit_id")).isEqualTo("S1");
        assertThat(((String) row.get("bus")).split(",")).containsExactlyInAnyOrder("S1", "S2");
        assertThat(row.get("correlation_id")).isEqualTo("pos-create-1");
        assertThat(json((String) row.get("payload"))).isEqualTo(created.json());

        List<JsonNode> history = history(id);
        assertThat(history).as("history of %s", id).hasSize(1);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("APPLIED");
        assertThat(history.get(0).path("origin").asText()).isEqualTo("STORE");
        assertThat(history.get(0).path("actor").asText()).contains("S1");
        assertThat(history.get(0).path("correlationId").asText()).isEqualTo("pos-create-1");
    }

    @Test
    void aStatusTheStoreGivesIsKept() {
        ObjectNode body = storeToStorePickup("cart-1");
        ((ObjectNode) body.get("customerOrder"))
                .putObject("status")
                .put("status", "IN_PROGRESS")
                .put("changedDateTime", "2026-05-01T09:00:00Z");
        Hub.Answer created = create(s1, "S1", body.toString(), Map.of());

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().at("/customerOrder/status/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(created.json().at("/customerOrder/status/changedDateTime").asText())
                .isEqualTo("2026-05-01T09:00:00Z");
    }

    // ---------------------------------------------------------------- visibility

    @Test
    void storeToStoreOrderIsVisibleToThePlacingAndThePickupStoreOnly() {
        String id = created(s1, "S1", storeToStorePickup("cart-1"));

        assertThat(get(s1, "S1", id).status()).as("placing store S1").isEqualTo(200);
        assertThat(get(s2, "S2", id).status()).as("pickup store S2").isEqualTo(200);
        Hub.Answer s3Read = get(s3, "S3", id);
        assertThat(s3Read.status()).as("uninvolved store S3: %s", s3Read).isEqualTo(404);
        assertThat(get(s1, "S2", id).status())
                .as("a key restricted to S1 cannot read as S2")
                .isEqualTo(403);
    }

    @Test
    void pickupStoreWorksTheStoreOrderWithoutAnyOms() {
        String id = created(s1, "S1", storeToStorePickup("cart-1"));

        Hub.Answer locked = fulfilmentOp(s1, "S1", id, "F1", "ready-for-pickup");
        assertThat(locked.status()).as("%s", locked).isEqualTo(409);
        assertThat(locked.json().path("owner").asText()).isEqualTo("STORE S2");

        Hub.Answer ready = fulfilmentOp(s2, "S2", id, "F1", "ready-for-pickup");
        assertThat(ready.status()).as("%s", ready).isEqualTo(200);
        Hub.Answer delivered = fulfilmentOp(s2, "S2", id, "F1", "deliver");
        assertThat(delivered.status()).as("%s", delivered).isEqualTo(200);
        assertThat(delivered.json().at("/customerOrder/status/status").asText()).isEqualTo("FULFILLED");
        assertThat(read(s1, "S1", id)).isEqualTo(delivered.json());
    }

    // ---------------------------------------------------------------- retries

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheSameOrderAndCreatesNoSecond() {
        String body = storeToStorePickup("cart-1").toString();
        Map<String, String> key = Map.of("Idempotency-Key", "pos-7-receipt-1001");

        Hub.Answer first = create(s1, "S1", body, key);
        Hub.Answer retry = create(s1, "S1", body, key);

        assertThat(first.status()).as("%s", first).isEqualTo(201);
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        String id = first.json().at("/customerOrder/customerOrderId").asText();
        assertThat(retry.json().at("/customerOrder/customerOrderId").asText())
                .as("order id of the retry")
                .isEqualTo(id);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(ordersOfTenant()).as("orders stored for the tenant").isEqualTo(1);
        assertThat(outboxRows(id, "STORE")).as("published once").isEqualTo(1);

        Hub.Answer otherBody = create(s1, "S1", storeToStorePickup("cart-2").toString(), key);
        assertThat(otherBody.status()).as("%s", otherBody).isEqualTo(422);
        assertThat(otherBody.json().path("type").asText()).isEqualTo("urn:orderhub:problem:idempotency-key-reused");
        assertThat(ordersOfTenant()).isEqualTo(1);
        assertThat(read(s1, "S1", id).at("/customerOrder/cartName").asText()).isEqualTo("cart-1");
    }

    @Test
    void withoutAnIdempotencyKeyASecondPostIsASecondOrder() {
        String body = storeToStorePickup("cart-1").toString();
        String first = created(s1, "S1", json(body));
        String second = created(s1, "S1", json(body));

        assertThat(second).isNotEqualTo(first);
        assertThat(ordersOfTenant()).isEqualTo(2);
        String code1 = read(s1, "S1", first)
                .at("/customerOrder/fulfillments/0/orderCode")
                .asText();
        String code2 = read(s1, "S1", second)
                .at("/customerOrder/fulfillments/0/orderCode")
                .asText();
        assertThat(code2).as("order codes are unique per tenant").isNotEqualTo(code1);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badCreateRequestsAre400NamingEveryViolationAndStoreNothing() {
        ObjectNode withId = storeToStorePickup("cart-1");
        ((ObjectNode) withId.get("customerOrder")).put("customerOrderId", "MY-OWN-ID");
        assertInvalid(withId.toString(), "/customerOrder/customerOrderId");

        ObjectNode noItems = storeToStorePickup("cart-1");
        ((ObjectNode) noItems.get("customerOrder")).remove("items");
        assertInvalid(noItems.toString(), "/customerOrder/items");

        ObjectNode drone = storeToStorePickup("cart-1");
        ((ObjectNode) drone.at("/customerOrder/fulfillments/0")).put("fulfillmentMethod", "DRONE_DROP");
        Hub.Answer unknownEnum = assertInvalid(drone.toString(), "/customerOrder/fulfillments/0/fulfillmentMethod");
        assertThat(unknownEnum.json().get("errors").toString())
                .as("an unknown enum value names the allowed values")
                .contains("PICKUP_IN_STORE");

        ObjectNode otherStore = storeToStorePickup("cart-1");
        ((ObjectNode) otherStore.get("customerOrder")).put("businessUnitId", "S9");
        assertInvalid(otherStore.toString(), "/customerOrder/businessUnitId");

        ObjectNode several = storeToStorePickup("cart-1");
        ((ObjectNode) several.get("customerOrder")).put("customerOrderId", "MY-OWN-ID");
        ((ObjectNode) several.get("customerOrder")).remove("items");
        ((ObjectNode) several.get("customerOrder")).put("currencyId", "euro");
        Hub.Answer all = assertInvalid(
                several.toString(),
                "/customerOrder/customerOrderId",
                "/customerOrder/items",
                "/customerOrder/currencyId");
        assertThat(all.json().get("errors")).hasSize(3);

        Hub.Answer malformed = create(s1, "S1", "{\"customerOrder\": {\"items\": [", Map.of());
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(malformed.json().path("type").asText()).isEqualTo("urn:orderhub:problem:malformed-json");

        Hub.Answer notAnOrder = create(s1, "S1", "[]", Map.of());
        assertThat(notAnOrder.status()).as("%s", notAnOrder).isEqualTo(400);

        assertThat(ordersOfTenant()).as("orders stored after bad requests").isZero();
        assertThat(db.queryForObject("SELECT count(*) FROM outbox_event WHERE tenant_id = ?", Integer.class, tenant))
                .as("changes published after bad requests")
                .isZero();
        assertThat(db.queryForObject("SELECT count(*) FROM order_code WHERE tenant_id = ?", Integer.class, tenant))
                .as("order codes reserved after bad requests")
                .isZero();
    }

    @Test
    void onlyAStoreKeyForThatStoreMayCreate() {
        String body = storeToStorePickup("cart-1").toString();

        assertThat(create(oms, "S1", body, Map.of()).status()).as("oms key").isEqualTo(403);
        assertThat(create(s1, "S2", body, Map.of()).status())
                .as("a key restricted to S1 creating at S2")
                .isEqualTo(403);
        assertThat(hub.send("POST", ORDERS.formatted("S1"), null, body).status())
                .as("no key")
                .isEqualTo(401);
        assertThat(ordersOfTenant()).isZero();
    }

    // ---------------------------------------------------------------- the OMS afterwards

    @Test
    void omsMayPutUpdatesForAStoreCreatedOrder() {
        String id = created(s1, "S1", storeToStorePickup("cart-1"));
        String code =
                read(s1, "S1", id).at("/customerOrder/fulfillments/0/orderCode").asText();

        // the OMS heard of the order through the published change and updates it under the same id
        ObjectNode update = OrderDocs.order(id, "S1", "IN_PROGRESS", "2026-03-05T10:00:00Z", "oms-v2");
        ((ObjectNode) update.at("/customerOrder/fulfillments/0")).put("fulfillmentBusinessUnitId", "S2");
        Hub.Answer put = hub.send("PUT", ORDERS.formatted("S1") + "/" + id, oms, update.toString());
        assertThat(put.status()).as("%s", put).isEqualTo(202);
        Hub.await(WAIT, "the OMS update of " + id + " applied", () -> events(id).size() >= 1);

        assertThat(events(id).get(0).path("outcome").asText())
                .as("outcome of %s", events(id).get(0))
                .isEqualTo("APPLIED");
        JsonNode stored = read(s2, "S2", id).get("customerOrder");
        assertThat(stored.path("cartName").asText()).isEqualTo("oms-v2");
        assertThat(stored.at("/status/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(stored.at("/fulfillments/0/orderCode").asText())
                .as("the minted code survives the OMS snapshot that omits it")
                .isEqualTo(code);
        assertThat(outboxRows(id, "OMS")).isEqualTo(1);

        Hub.Answer moved = hub.send("PUT", ORDERS.formatted("S2") + "/" + id, oms, OrderDocs.put(id, "S2"));
        assertThat(moved.status())
                .as("PUT through another placing store: %s", moved)
                .isEqualTo(409);
        assertThat(moved.json().path("type").asText()).isEqualTo("urn:orderhub:problem:order-moved");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A new order as a POS sends it: placed at S1 for pickup at S2, without the id (the hub mints it), status or
     * placing store (both from the hub).
     */
    private static ObjectNode storeToStorePickup(String cartName) {
        ObjectNode root = OrderDocs.order("unused", "S1", "CREATED", "2026-03-01T10:00:00Z", cartName);
        ObjectNode order = (ObjectNode) root.get("customerOrder");
        order.remove("customerOrderId");
        order.remove("status");
        order.remove("businessUnitId");
        order.putObject("customer").put("customerId", "CUST-walk-in").put("name", "Alex Example");
        ((ObjectNode) order.at("/fulfillments/0")).put("fulfillmentBusinessUnitId", "S2");
        return root;
    }

    private Hub.Answer create(String key, String bu, String body, Map<String, String> headers) {
        return hub.send("POST", ORDERS.formatted(bu), key, body, headers);
    }

    private String created(String key, String bu, JsonNode body) {
        Hub.Answer a = create(key, bu, body.toString(), Map.of());
        assertThat(a.status()).as("create %s", a).isEqualTo(201);
        return a.json().at("/customerOrder/customerOrderId").asText();
    }

    private Hub.Answer assertInvalid(String body, String... pointers) {
        Hub.Answer a = create(s1, "S1", body, Map.of());
        assertThat(a.status()).as("%s", a).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.json().path("type").asText()).isEqualTo("urn:orderhub:problem:validation");
        assertThat(a.json().get("errors").findValuesAsText("pointer"))
                .as("pointers of %s", a)
                .contains(pointers);
        return a;
    }

    private Hub.Answer get(String key, String bu, String id) {
        return hub.send("GET", ORDERS.formatted(bu) + "/" + id, key, null);
    }

    private JsonNode read(String key, String bu, String id) {
        Hub.Answer a = get(key, bu, id);
        assertThat(a.status()).as("GET %s", a).isEqualTo(200);
        return a.json();
    }

    private Hub.Answer fulfilmentOp(String key, String bu, String id, String fid, String verb) {
        return hub.send("POST", ORDERS.formatted(bu) + "/" + id + "/fulfillments/" + fid + ":" + verb, key, null);
    }

    private List<JsonNode> history(String id) {
        Hub.Answer a = hub.send("GET", ORDERS.formatted("S1") + "/" + id + "/history", oms, null);
        assertThat(a.status()).as("history %s", a).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        a.json().get("entries").forEach(entries::add);
        return entries;
    }

    /** The history entries of the OMS's events, oldest first. */
    private List<JsonNode> events(String id) {
        return history(id).stream()
                .filter(e -> "EVENT".equals(e.path("kind").asText()))
                .toList();
    }

    private int ordersOfTenant() {
        return db.queryForObject("SELECT count(*) FROM customer_order WHERE tenant_id = ?", Integer.class, tenant);
    }

    private int outboxRows(String id, String origin) {
        return db.queryForObject(
                "SELECT count(*) FROM outbox_event WHERE tenant_id = ? AND customer_order_id = ? AND origin = ?",
                Integer.class,
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
}
