package io.orderhub.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST .../customer-orders:search} over real HTTP: every filter alone and together, paging and order, the
 * visibility of domain.md, tenant isolation and the 400s. One tenant is seeded once for the class (the tests only
 * read it), one order at a time so that the hub's change times follow the seeding order.
 */
@HubTest
class OrderSearchTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    // customers of this run only, so nothing another test stored can match
    private static final String ANNA = "CUST-ANNA-" + RUN;
    private static final String PER = "CUST-PER-" + RUN;
    private static final String KARIN = "CUST-KARIN-" + RUN;
    private static final String DAN = "CUST-DAN-" + RUN;
    private static final String ANNA_NAME = "Anna Lindqvist-" + RUN;
    private static final String ANNA_EMAIL = "Anna.Lindqvist." + RUN + "@Example.TEST";
    private static final String ANNA_PHONE = "+46 70-111 22 33 Ext " + RUN;
    private static final String PER_EMAIL = "per.berg." + RUN + "@example.test";

    @LocalServerPort
    int port;

    @Autowired
    OrderSearchRepository repository;

    @Autowired
    org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    Hub hub;

    // The seeded tenant, shared by the tests (which only read it). Static because JUnit makes an instance per test, and
    // seeded in a @BeforeEach because Camel's test support starts the routes only before each test, not before all.
    static String tenant;
    static String key;
    static String otherTenantKey;
    static Instant seededFrom;
    static String pickupCode;

    // P: placed at S1, picked up at S2.   R: placed and ready for pickup at S2.   W: from the warehouse, FULFILLED.
    // X: split, picked up at S1 and a FULFILLED warehouse part.   D: delivered from S3, customer without a name.
    static String p;
    static String r;
    static String w;
    static String x;
    static String d;

    @BeforeEach
    void seedOnce() {
        hub = new Hub(port);
        if (key != null) {
            return;
        }
        String tenantId = Hub.uniqueTenant("search");
        String tenantKey = hub.newTenantKey(tenantId, "[\"oms\",\"store\"]", null);
        seededFrom = Instant.now();
        pickupCode = OrderDocs.randomOrderCode();
        p = Hub.uniqueId("P");
        r = Hub.uniqueId("R");
        w = Hub.uniqueId("W");
        x = Hub.uniqueId("X");
        d = Hub.uniqueId("D");

        ObjectNode doc = order(p, "S1", "CREATED", ANNA, ANNA_NAME);
        OrderDocs.addFulfillment(doc, "F1", "PICKUP_IN_STORE", "S2", "CREATED", pickupCode, ANNA_EMAIL, ANNA_PHONE);
        putAndAwait(tenantKey, "S1", p, doc);

        doc = order(r, "S2", "IN_PROGRESS", ANNA, ANNA_NAME);
        OrderDocs.addFulfillment(doc, "F1", "PICKUP_IN_STORE", "S2", "READY_FOR_PICKUP", null, null, null);
        putAndAwait(tenantKey, "S2", r, doc);

        doc = order(w, "S1", "FULFILLED", PER, "Per Berg-" + RUN);
        OrderDocs.addFulfillment(doc, "F1", "HOME_DELIVERY_FROM_WAREHOUSE", "WH1", "FULFILLED", null, PER_EMAIL, null);
        putAndAwait(tenantKey, "S1", w, doc);

        doc = order(x, "S1", "IN_PROGRESS", KARIN, "Karin Nilsson-" + RUN);
        OrderDocs.addFulfillment(doc, "F1", "PICKUP_IN_STORE", "S1", "CREATED", null, null, null);
        OrderDocs.addFulfillment(doc, "F2", "HOME_DELIVERY_FROM_WAREHOUSE", null, "FULFILLED", null, null, null);
        putAndAwait(tenantKey, "S1", x, doc);

        doc = order(d, "S3", "CREATED", DAN, null);
        OrderDocs.addFulfillment(doc, "F1", "HOME_DELIVERY_FROM_STORE", "S3", "CREATED", null, null, null);
        putAndAwait(tenantKey, "S3", d, doc);

        // another tenant with the same customer, name, email, code and business units: never part of our answers
        otherTenantKey = hub.newTenantKey(Hub.uniqueTenant("search-other"), "[\"oms\",\"store\"]", null);
        String foreign = Hub.uniqueId("FOREIGN");
        doc = order(foreign, "S2", "FULFILLED", ANNA, ANNA_NAME);
        OrderDocs.addFulfillment(doc, "F1", "PICKUP_IN_STORE", "S2", "FULFILLED", pickupCode, ANNA_EMAIL, ANNA_PHONE);
        putAndAwait(otherTenantKey, "S2", foreign, doc);
        tenant = tenantId;
        key = tenantKey;
    }

    // ------------------------------------------------------------------ scope

    @Test
    void eachBusinessUnitSeesWhatWasPlacedOrFulfilledThereAndEveryFulfilledOrder() {
        assertThat(ids(search("S1", "{}"))).containsExactly(x, w, p);
        assertThat(ids(search("S2", "{}"))).containsExactly(x, w, r, p);
        assertThat(ids(search("S3", "{}"))).containsExactly(d, x, w);
        assertThat(ids(search("S9", "{}")))
                .as("a store with no orders of its own")
                .containsExactly(x, w);
    }

    @Test
    void anOrderBecomesVisibleEverywhereOnceAFulfilmentIsFulfilled() {
        String tenantKey = hub.newTenantKey(Hub.uniqueTenant("search-boris"), "[\"oms\",\"store\"]", null);
        String id = Hub.uniqueId("V");
        ObjectNode doc = order(id, "S1", "CREATED", ANNA, ANNA_NAME);
        OrderDocs.addFulfillment(doc, "F1", "PICKUP_IN_STORE", "S2", "CREATED", null, null, null);
        putAndAwait(tenantKey, "S1", id, doc);
        assertThat(ids(search(tenantKey, "S1", "{}"))).as("placed at S1").containsExactly(id);
        assertThat(ids(search(tenantKey, "S2", "{}"))).as("picked up at S2").containsExactly(id);
        assertThat(ids(search(tenantKey, "S3", "{}")))
                .as("nothing to do with S3")
                .isEmpty();

        ObjectNode fulfilled = OrderDocs.withoutFulfillments(OrderDocs.withCustomer(
                OrderDocs.order(id, "S1", "FULFILLED", "2026-03-02T10:00:00Z", "v2"), ANNA, ANNA_NAME));
        OrderDocs.addFulfillment(fulfilled, "F1", "PICKUP_IN_STORE", "S2", "FULFILLED", null, null, null);
        Hub.Answer put = hub.send("PUT", path("S1", id), tenantKey, fulfilled.toString());
        assertThat(put.status()).as("PUT %s", put).isEqualTo(202);
        Hub.await(WAIT, "order " + id + " found through S3 once fulfilled", () -> ids(search(tenantKey, "S3", "{}"))
                .contains(id));
        assertThat(only(search(tenantKey, "S3", "{}")).get("status").asText()).isEqualTo("FULFILLED");
    }

    @Test
    void anotherTenantsOrdersNeverAppear() {
        List<String> ours = List.of(p, r, w, x, d);
        for (String body : List.of(
                "{}",
                "{\"customerId\": \"" + ANNA + "\"}",
                "{\"customerName\": \"" + ANNA_NAME + "\"}",
                "{\"email\": \"" + ANNA_EMAIL + "\"}",
                "{\"phone\": \"" + ANNA_PHONE + "\"}",
                "{\"orderCode\": \"" + pickupCode + "\"}",
                "{\"status\": [\"FULFILLED\"]}")) {
            assertThat(ids(search("S2", body))).as("search %s", body).isSubsetOf(ours);
        }
        JsonNode theirs = search(otherTenantKey, "S2", "{\"customerId\": \"" + ANNA + "\"}");
        assertThat(ids(theirs))
                .as("the other tenant sees only its own")
                .hasSize(1)
                .doesNotContainAnyElementsOf(ours);
    }

    // ------------------------------------------------------------------ each filter

    @Test
    void customerIdIsExact() {
        assertThat(ids(search("S2", "{\"customerId\": \"" + ANNA + "\"}"))).containsExactly(r, p);
        assertThat(ids(search("S1", "{\"customerId\": \"" + ANNA + "\"}"))).containsExactly(p);
        assertThat(ids(search("S2", "{\"customerId\": \"" + ANNA.toLowerCase(Locale.ROOT) + "\"}")))
                .isEmpty();
        assertThat(ids(search("S2", "{\"customerId\": \"" + ANNA.substring(0, 9) + "\"}")))
                .isEmpty();
    }

    @Test
    void orderCodeFindsItsOrderWhereverTheOrderIsVisible() {
        assertThat(ids(search("S2", "{\"orderCode\": \"" + pickupCode + "\"}"))).containsExactly(p);
        assertThat(ids(search("S1", "{\"orderCode\": \"" + pickupCode.toLowerCase(Locale.ROOT) + "\"}")))
                .as("codes are read out at the counter; case does not matter")
                .containsExactly(p);
        assertThat(ids(search("S3", "{\"orderCode\": \"" + pickupCode + "\"}")))
                .as("not visible to S3")
                .isEmpty();
    }

    @Test
    void statusMatchesAnyListedOrderStatus() {
        assertThat(ids(search("S2", "{\"status\": [\"CREATED\"]}"))).containsExactly(p);
        assertThat(ids(search("S2", "{\"status\": [\"CREATED\", \"IN_PROGRESS\"]}")))
                .containsExactly(x, r, p);
        assertThat(ids(search("S2", "{\"status\": [\"FULFILLED\"]}"))).containsExactly(w);
        assertThat(ids(search("S2", "{\"status\": [\"CANCELLED\"]}"))).isEmpty();
    }

    @Test
    void fulfillmentStatusAndMethodMatchAnyFulfilmentAndTogetherTheSameOne() {
        assertThat(ids(search("S2", "{\"fulfillmentStatus\": [\"READY_FOR_PICKUP\"]}")))
                .containsExactly(r);
        assertThat(ids(search("S2", "{\"fulfillmentStatus\": [\"READY_FOR_PICKUP\", \"FULFILLED\"]}")))
                .containsExactly(x, w, r);
        assertThat(ids(search("S2", "{\"fulfillmentMethod\": [\"HOME_DELIVERY_FROM_WAREHOUSE\"]}")))
                .containsExactly(x, w);
        assertThat(ids(search("S3", "{\"fulfillmentMethod\": [\"HOME_DELIVERY_FROM_STORE\"]}")))
                .containsExactly(d);
        // X has a CREATED pickup and a FULFILLED warehouse delivery, but no fulfilled pickup
        assertThat(ids(search(
                        "S2",
                        "{\"fulfillmentMethod\": [\"PICKUP_IN_STORE\"], \"fulfillmentStatus\": [\"FULFILLED\"]}")))
                .isEmpty();
        assertThat(
                        ids(
                                search(
                                        "S2",
                                        "{\"fulfillmentMethod\": [\"HOME_DELIVERY_FROM_WAREHOUSE\"], \"fulfillmentStatus\": [\"FULFILLED\"]}")))
                .containsExactly(x, w);
        assertThat(
                        ids(
                                search(
                                        "S1",
                                        "{\"fulfillmentMethod\": [\"PICKUP_IN_STORE\"], \"fulfillmentStatus\": [\"CREATED\", \"READY_FOR_PICKUP\"]}")))
                .containsExactly(x, p);
    }

    @Test
    void customerNameIsACaseInsensitiveSubstring() {
        assertThat(ids(search("S2", "{\"customerName\": \"" + ANNA_NAME + "\"}")))
                .containsExactly(r, p);
        assertThat(ids(search("S2", "{\"customerName\": \"NDQVIST-" + RUN.toUpperCase(Locale.ROOT) + "\"}")))
                .containsExactly(r, p);
        assertThat(ids(search("S2", "{\"customerName\": \"  anna lindqvist-" + RUN + " \"}")))
                .as("surrounding blanks are not part of the name")
                .containsExactly(r, p);
        assertThat(ids(search("S1", "{\"customerName\": \"lindqvist-" + RUN + "\"}")))
                .containsExactly(p);
        assertThat(ids(search("S2", "{\"customerName\": \"-" + RUN + "\"}"))).containsExactly(x, w, r, p);
        assertThat(ids(search("S2", "{\"customerName\": \"%" + RUN + "\"}")))
                .as("% is a character, not a wildcard")
                .isEmpty();
        assertThat(ids(search("S2", "{\"customerName\": \"Anna_Lindqvist\"}")))
                .as("_ is a character, not a wildcard")
                .isEmpty();
    }

    @Test
    void emailAndPhoneMatchTheDeliveryAddressesTrimmedAndLowerCased() {
        assertThat(ids(search("S2", "{\"email\": \"" + ANNA_EMAIL + "\"}"))).containsExactly(p);
        assertThat(ids(search("S2", "{\"email\": \"  " + ANNA_EMAIL.toUpperCase(Locale.ROOT) + " \"}")))
                .containsExactly(p);
        assertThat(ids(search("S2", "{\"email\": \"" + ANNA_EMAIL.substring(1) + "\"}")))
                .as("exact, not a substring")
                .isEmpty();
        assertThat(ids(search("S2", "{\"phone\": \" " + ANNA_PHONE.toLowerCase(Locale.ROOT) + "  \"}")))
                .containsExactly(p);
        assertThat(ids(search("S2", "{\"phone\": \"" + ANNA_PHONE.toUpperCase(Locale.ROOT) + "\"}")))
                .containsExactly(p);
        // returns in any store: a fulfilled warehouse order is found by its email from a store that never saw it
        assertThat(ids(search("S3", "{\"email\": \"" + PER_EMAIL.toUpperCase(Locale.ROOT) + "\"}")))
                .containsExactly(w);
    }

    @Test
    void changedFromAndToSelectTheHubsChangeTimeHalfOpen() {
        List<JsonNode> all = items(search("S2", "{}"));
        assertThat(all).hasSize(4);
        String newest = all.get(0).get("changedDateTime").asText();
        String second = all.get(1).get("changedDateTime").asText();
        String third = all.get(2).get("changedDateTime").asText();
        assertThat(ids(search("S2", "{\"changedFrom\": \"" + second + "\"}"))).containsExactly(x, w);
        assertThat(ids(search("S2", "{\"changedTo\": \"" + second + "\"}"))).containsExactly(r, p);
        assertThat(ids(search("S2", "{\"changedFrom\": \"" + third + "\", \"changedTo\": \"" + newest + "\"}")))
                .containsExactly(w, r);
        assertThat(ids(search("S2", "{\"changedFrom\": \"2000-01-01T00:00:00+02:00\"}")))
                .containsExactly(x, w, r, p);
        assertThat(ids(search("S2", "{\"changedTo\": \"2000-01-01T00:00:00Z\"}")))
                .isEmpty();
    }

    @Test
    void filtersCombineWithAnd() {
        assertThat(ids(search("S2", "{\"customerId\": \"" + ANNA + "\", \"status\": [\"IN_PROGRESS\"]}")))
                .containsExactly(r);
        assertThat(ids(search(
                        "S2",
                        "{\"customerName\": \"lindqvist\", \"fulfillmentStatus\": [\"CREATED\"], \"customerId\": \""
                                + ANNA + "\"}")))
                .containsExactly(p);
        assertThat(ids(search(
                        "S2",
                        "{\"email\": \"" + ANNA_EMAIL + "\", \"orderCode\": \"" + pickupCode + "\", \"phone\": \""
                                + ANNA_PHONE + "\", \"fulfillmentMethod\": [\"PICKUP_IN_STORE\"]}")))
                .containsExactly(p);
        assertThat(ids(search("S2", "{\"email\": \"" + ANNA_EMAIL + "\", \"status\": [\"IN_PROGRESS\"]}")))
                .isEmpty();
        assertThat(ids(search("S2", "{\"customerId\": \"" + PER + "\", \"customerName\": \"Anna\"}")))
                .isEmpty();
        String newest = items(search("S2", "{}")).get(0).get("changedDateTime").asText();
        assertThat(ids(search("S2", "{\"customerId\": \"" + KARIN + "\", \"changedFrom\": \"" + newest + "\"}")))
                .containsExactly(x);
    }

    // ------------------------------------------------------------------ paging, order, answer shape

    @Test
    void pagesWalkTheOrdersMostRecentlyChangedFirstWithTotalAndHasMore() {
        JsonNode first = search("S2", "{\"page\": {\"skip\": 0, \"take\": 3}}");
        assertThat(ids(first)).containsExactly(x, w, r);
        assertPage(first, 0, 3, 4, true);
        JsonNode second = search("S2", "{\"page\": {\"skip\": 3, \"take\": 3}}");
        assertThat(ids(second)).containsExactly(p);
        assertPage(second, 3, 3, 4, false);
        JsonNode exact = search("S2", "{\"page\": {\"skip\": 2, \"take\": 2}}");
        assertThat(ids(exact)).containsExactly(r, p);
        assertPage(exact, 2, 2, 4, false);
        JsonNode beyond = search("S2", "{\"page\": {\"skip\": 10}}");
        assertThat(ids(beyond)).isEmpty();
        assertPage(beyond, 10, 20, 4, false);
        assertPage(search("S2", "{}"), 0, 20, 4, false);
        assertPage(search("S2", "{\"page\": {\"take\": 200}}"), 0, 200, 4, false);

        List<JsonNode> all = items(search("S2", "{}"));
        Comparator<JsonNode> documentedOrder = Comparator.comparing(
                        (JsonNode o) -> Instant.parse(o.get("changedDateTime").asText()), Comparator.reverseOrder())
                .thenComparing(o -> o.get("customerOrderId").asText());
        assertThat(all).as("most recently changed first, then by id").isSortedAccordingTo(documentedOrder);
    }

    @Test
    void pagesReadAlongTheChangeTimeAndFromSortedMatchesAgree() {
        // the hub picks one way by the number of matches (OrderSearchRepository.search); the seed is too small to
        // reach the walk by itself, so both are forced here and must give the same pages
        for (String body : List.of(
                "{}",
                "{\"page\": {\"skip\": 1, \"take\": 2}}",
                "{\"page\": {\"skip\": 3, \"take\": 1}}",
                "{\"customerName\": \"-" + RUN + "\", \"status\": [\"CREATED\", \"IN_PROGRESS\"]}",
                // a name alone takes the index-only walk (V16): the name tested in the index, the rest on the order
                "{\"customerName\": \"-" + RUN + "\"}",
                "{\"customerName\": \"-" + RUN + "\", \"page\": {\"skip\": 1, \"take\": 2}}",
                "{\"customerName\": \"LINDQVIST-" + RUN + "\"}",
                "{\"customerName\": \"%" + RUN + "\"}",
                "{\"customerName\": \"-" + RUN + "\", \"fulfillmentMethod\": [\"PICKUP_IN_STORE\"]}",
                "{\"fulfillmentMethod\": [\"PICKUP_IN_STORE\"], \"fulfillmentStatus\": [\"CREATED\"]}",
                "{\"email\": \"" + ANNA_EMAIL + "\"}")) {
            OrderSearchCriteria criteria = OrderSearchCriteria.parse("S2", OrderJson.parse(body));
            OrderSearchRepository.Page walked = repository.search(tenant, criteria, 0);
            OrderSearchRepository.Page sorted = repository.search(tenant, criteria, Long.MAX_VALUE);
            assertThat(walked).as("search %s", body).isEqualTo(sorted);
            assertThat(walked.orders().stream()
                            .map(OrderSearchRepository.FoundOrder::customerOrderId)
                            .toList())
                    .as("search %s", body)
                    .isEqualTo(ids(search("S2", body)));
        }
    }

    @Test
    void theCountStopsAtTheLimitAndSaysSoWhileThePagesStayTheSame() {
        // hub.search.count-limit of 2 against S2's four visible orders (x, w, r, p, newest first)
        OrderSearchRepository capped = new OrderSearchRepository(jdbc, transactions, 2);
        OrderSearchCriteria firstOfOne = OrderSearchCriteria.parse("S2", OrderJson.parse("{\"page\": {\"take\": 1}}"));
        OrderSearchRepository.Page first = capped.search(tenant, firstOfOne);
        assertThat(first.total()).as("total of %s", first).isEqualTo(2);
        assertThat(first.totalExact()).as("exact? %s", first).isFalse();
        assertThat(ids(first)).containsExactly(x);
        JsonNode answer = OrderSearch.answer(firstOfOne, first);
        assertThat(answer.at("/page/totalExact").asBoolean(true)).isFalse();
        assertThat(answer.at("/page/hasMore").asBoolean())
                .as("more than the capped total: %s", answer)
                .isTrue();

        // the count reaches at least to the end of the page asked for: skip 2 + take 1 counts to 3, still capped
        OrderSearchRepository.Page third = capped.search(
                tenant, OrderSearchCriteria.parse("S2", OrderJson.parse("{\"page\": {\"skip\": 2, \"take\": 1}}")));
        assertThat(third.total()).isEqualTo(3);
        assertThat(third.totalExact()).isFalse();
        assertThat(ids(third)).containsExactly(r);

        // the last page's count is exact again
        OrderSearchCriteria lastOfOne =
                OrderSearchCriteria.parse("S2", OrderJson.parse("{\"page\": {\"skip\": 3, \"take\": 1}}"));
        OrderSearchRepository.Page last = capped.search(tenant, lastOfOne);
        assertThat(last.total()).isEqualTo(4);
        assertThat(last.totalExact()).isTrue();
        assertThat(ids(last)).containsExactly(p);
        assertThat(OrderSearch.answer(lastOfOne, last).at("/page/hasMore").asBoolean(true))
                .isFalse();

        // the hub's own limit (1,000) is far above four: exact through the API
        JsonNode all = search("S2", "{}");
        assertThat(all.at("/page/totalExact").asBoolean(false))
                .as("%s", all.get("page"))
                .isTrue();
        assertThat(all.at("/page/total").asInt()).isEqualTo(4);
    }

    private static List<String> ids(OrderSearchRepository.Page page) {
        return page.orders().stream()
                .map(OrderSearchRepository.FoundOrder::customerOrderId)
                .toList();
    }

    @Test
    void emptyBodyMeansNoFilters() {
        Hub.Answer a = hub.send("POST", searchPath("S2"), key, null);
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(ids(a.json())).containsExactly(x, w, r, p);
    }

    @Test
    void everyItemHasTheDocumentedFieldsAndNoNulls() {
        Instant seededTo = Instant.now();
        JsonNode answer = search("S3", "{}");
        assertThat(answer.fieldNames()).toIterable().containsExactly("customerOrders", "page");
        assertThat(answer.get("page").fieldNames())
                .toIterable()
                .containsExactly("skip", "take", "total", "totalExact", "hasMore");
        for (JsonNode item : items(answer)) {
            assertNoNulls(item, "/customerOrders/" + item.get("customerOrderId").asText());
            assertThat(item.fieldNames())
                    .toIterable()
                    .isSubsetOf(
                            "customerOrderId",
                            "businessUnitId",
                            "customerId",
                            "customerName",
                            "status",
                            "changedDateTime",
                            "fulfillments",
                            "flags")
                    .contains(
                            "customerOrderId",
                            "businessUnitId",
                            "customerId",
                            "status",
                            "changedDateTime",
                            "fulfillments",
                            "flags");
            // the hub's change time, in UTC, not the document's 2026-03-01T10:00:00Z
            String changed = item.get("changedDateTime").asText();
            assertThat(changed).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(Instant.parse(changed)).isBetween(seededFrom.minusSeconds(5), seededTo.plusSeconds(5));
            assertThat(item.get("flags").isArray()).isTrue();
            for (JsonNode f : item.get("fulfillments")) {
                assertThat(f.fieldNames())
                        .toIterable()
                        .isSubsetOf(
                                "fulfillmentId",
                                "fulfillmentMethod",
                                "fulfillmentBusinessUnitId",
                                "status",
                                "orderCode")
                        .contains("fulfillmentId", "fulfillmentMethod", "status");
            }
        }
        JsonNode dan = find(answer, d);
        assertThat(dan.get("businessUnitId").asText()).isEqualTo("S3");
        assertThat(dan.get("customerId").asText()).isEqualTo(DAN);
        assertThat(dan.has("customerName")).as("no name: left out, not null").isFalse();
        assertThat(dan.get("status").asText()).isEqualTo("CREATED");
        assertThat(dan.get("fulfillments")).hasSize(1);
        JsonNode delivery = dan.get("fulfillments").get(0);
        assertThat(delivery.get("fulfillmentId").asText()).isEqualTo("F1");
        assertThat(delivery.get("fulfillmentMethod").asText()).isEqualTo("HOME_DELIVERY_FROM_STORE");
        assertThat(delivery.get("fulfillmentBusinessUnitId").asText()).isEqualTo("S3");
        assertThat(delivery.get("status").asText()).isEqualTo("CREATED");
        JsonNode split = find(answer, x);
        assertThat(split.get("customerName").asText()).isEqualTo("Karin Nilsson-" + RUN);
        assertThat(split.get("fulfillments").get(1).toString())
                .as("a warehouse fulfilment has neither owner store nor order code")
                .isEqualTo(
                        "{\"fulfillmentId\":\"F2\",\"fulfillmentMethod\":\"HOME_DELIVERY_FROM_WAREHOUSE\",\"status\":\"FULFILLED\"}");

        JsonNode pickup = only(search("S2", "{\"orderCode\": \"" + pickupCode + "\"}"));
        assertThat(pickup.get("fulfillments").get(0).get("orderCode").asText()).isEqualTo(pickupCode);
        assertThat(pickup.get("fulfillments")
                        .get(0)
                        .get("fulfillmentBusinessUnitId")
                        .asText())
                .isEqualTo("S2");
        assertThat(pickup.get("businessUnitId").asText()).isEqualTo("S1");
        assertThat(pickup.get("flags")).isEmpty();
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void everyViolationIsNamedInOneProblem() {
        Hub.Answer a = hub.send(
                "POST",
                searchPath("S2"),
                key,
                """
                {"customerId": 42, "colour": "red", "status": ["CREATED", "DONE"], "fulfillmentMethod": "PICKUP_IN_STORE",
                 "changedFrom": "yesterday", "changedTo": "2026-03-01T10:00", "page": {"skip": -1, "take": 201, "size": 5}}
                """);
        assertThat(a.status()).as("%s", a).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = a.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:orderhub:problem:validation");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(errors(problem))
                .containsOnly(
                        Map.entry("/customerId", "must be a string"),
                        Map.entry("/colour", "is not allowed (unknown field)"),
                        Map.entry("/status/1", "must be one of CREATED, IN_PROGRESS, CANCELLED, FULFILLED"),
                        Map.entry(
                                "/fulfillmentMethod",
                                "must be an array of values; each must be one of PICKUP_IN_STORE, "
                                        + "HOME_DELIVERY_FROM_STORE, HOME_DELIVERY_FROM_WAREHOUSE"),
                        Map.entry("/changedFrom", "must be an RFC 3339 date-time, e.g. 2026-03-01T10:00:00Z"),
                        Map.entry("/changedTo", "must be an RFC 3339 date-time, e.g. 2026-03-01T10:00:00Z"),
                        Map.entry("/page/skip", "must be an integer of at least 0"),
                        Map.entry("/page/take", "must be an integer from 1 to 200"),
                        Map.entry("/page/size", "is not allowed (unknown field)"));
    }

    @Test
    void eachKindOfBadValueIsRefusedOnItsOwn() {
        assertRefused("{\"unknown\": true}", "/unknown");
        assertRefused("{\"fulfillmentStatus\": [\"SHIPPED\"]}", "/fulfillmentStatus/0");
        assertRefused("{\"fulfillmentMethod\": [\"DRONE\"]}", "/fulfillmentMethod/0");
        assertRefused("{\"status\": []}", "/status");
        assertRefused("{\"page\": {\"take\": 201}}", "/page/take");
        assertRefused("{\"page\": {\"take\": 0}}", "/page/take");
        assertRefused("{\"page\": {\"take\": 2.5}}", "/page/take");
        assertRefused("{\"page\": {\"skip\": \"0\"}}", "/page/skip");
        assertRefused("{\"page\": 3}", "/page");
        assertRefused("{\"changedFrom\": \"2026-02-30T10:00:00Z\"}", "/changedFrom");
        assertRefused("{\"changedFrom\": \"2026-03-01 10:00:00Z\"}", "/changedFrom");
        assertRefused(
                "{\"changedFrom\": \"2026-03-02T00:00:00Z\", \"changedTo\": \"2026-03-01T00:00:00Z\"}", "/changedTo");
        assertRefused("{\"email\": null}", "/email");
        assertRefused("{\"customerName\": \"   \"}", "/customerName");
        assertRefused("[]", "");
        Hub.Answer malformed = hub.send("POST", searchPath("S2"), key, "{\"status\": [");
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(400);
        assertThat(malformed.json().get("type").asText()).isEqualTo("urn:orderhub:problem:malformed-json");
    }

    @Test
    void otherCustomMethodsAndMethodsOnTheSearchPathAreNotSearch() {
        Hub.Answer verb = hub.send("POST", "/api/v1/business-units/S2/customer-orders:find", key, "{}");
        assertThat(verb.status()).as("%s", verb).isEqualTo(404);
        Hub.Answer get = hub.send("GET", searchPath("S2"), key, null);
        assertThat(get.status()).as("%s", get).isEqualTo(405);
        assertThat(get.header("Allow")).contains("POST");
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode order(String id, String bu, String status, String customerId, String name) {
        ObjectNode doc = OrderDocs.order(id, bu, status, "2026-03-01T10:00:00Z", "v1");
        return OrderDocs.withCustomer(OrderDocs.withoutFulfillments(doc), customerId, name);
    }

    /** PUTs the order and waits until it is applied, so the next PUT gets a later change time. */
    private void putAndAwait(String tenantKey, String bu, String id, ObjectNode doc) {
        Hub.Answer put = hub.send("PUT", path(bu, id), tenantKey, doc.toString());
        assertThat(put.status()).as("PUT %s: %s", id, put).isEqualTo(202);
        Hub.await(
                WAIT,
                "order " + id + " applied",
                () -> hub.send("GET", path(bu, id), tenantKey, null).status() == 200);
    }

    private JsonNode search(String bu, String body) {
        return search(key, bu, body);
    }

    private JsonNode search(String tenantKey, String bu, String body) {
        Hub.Answer a = hub.send("POST", searchPath(bu), tenantKey, body);
        assertThat(a.status()).as("search at %s with %s: %s", bu, body, a).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        return a.json();
    }

    private void assertRefused(String body, String pointer) {
        Hub.Answer a = hub.send("POST", searchPath("S2"), key, body);
        assertThat(a.status()).as("search with %s: %s", body, a).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(errors(a.json()).keySet()).as("violations of %s", body).containsExactly(pointer);
    }

    private static Map<String, String> errors(JsonNode problem) {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        problem.path("errors")
                .forEach(e ->
                        errors.put(e.get("pointer").asText(), e.get("message").asText()));
        return errors;
    }

    private static void assertPage(JsonNode answer, int skip, int take, int total, boolean hasMore) {
        JsonNode page = answer.get("page");
        assertThat(page.get("skip").asInt()).as("skip of %s", page).isEqualTo(skip);
        assertThat(page.get("take").asInt()).as("take of %s", page).isEqualTo(take);
        assertThat(page.get("total").asInt()).as("total of %s", page).isEqualTo(total);
        assertThat(page.get("hasMore").asBoolean()).as("hasMore of %s", page).isEqualTo(hasMore);
    }

    private static void assertNoNulls(JsonNode node, String where) {
        assertThat(node.isNull()).as("null at %s", where).isFalse();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            assertNoNulls(field.getValue(), where + "/" + field.getKey());
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            assertNoNulls(node.get(i), where + "/" + i);
        }
    }

    private static List<JsonNode> items(JsonNode answer) {
        List<JsonNode> items = new ArrayList<>();
        answer.get("customerOrders").forEach(items::add);
        return items;
    }

    private static List<String> ids(JsonNode answer) {
        return items(answer).stream()
                .map(o -> o.get("customerOrderId").asText())
                .toList();
    }

    private static JsonNode only(JsonNode answer) {
        assertThat(items(answer)).as("exactly one order in %s", answer).hasSize(1);
        return items(answer).get(0);
    }

    private static JsonNode find(JsonNode answer, String id) {
        return items(answer).stream()
                .filter(o -> o.get("customerOrderId").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("order " + id + " not in " + answer));
    }

    private static String path(String bu, String id) {
        return "/api/v1/business-units/" + bu + "/customer-orders/" + id;
    }

    private static String searchPath(String bu) {
        return "/api/v1/business-units/" + bu + "/customer-orders:search";
    }
}
