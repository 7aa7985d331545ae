package io.orderhub.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The search keys the hub writes with an order are the ones the SQL function of the schema makes from the same
 * document (bulk loads use the function; search looks for either), and saving an order stores them.
 */
@HubTest
class SearchKeysTest {

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Autowired
    OrderRepository orders;

    @Test
    void theHubsKeysAreTheSchemaFunctionsKeysForEveryShapeOfOrder() {
        for (Case c : corpus()) {
            String document = c.root().toString();
            JsonNode order = c.root().get("customerOrder");
            List<String> fromJava = sorted(OrderSearchRepository.SearchKeys.of("t1", c.bu(), order));
            List<String> fromSql = sorted(jdbc.queryForObject(
                    "SELECT customer_order_search_keys('t1', :bu, :doc)",
                    new MapSqlParameterSource("bu", c.bu()).addValue("doc", document),
                    (rs, n) -> (String[]) rs.getArray(1).getArray()));
            assertThat(fromJava).as(c.name()).isNotEmpty().isEqualTo(fromSql);
        }
    }

    @Test
    void aSavedOrderCarriesItsKeysAndAnUpdateReplacesThem() {
        String tenant = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update(
                "INSERT INTO tenant (tenant_id, mode) VALUES (:t, 'events')", new MapSqlParameterSource("t", tenant));
        ObjectNode created = OrderDocs.order("K1", "S1", "CREATED", "2026-03-01T10:00:00Z", "v1");
        save(tenant, created);
        assertThat(storedKeys(tenant))
                .contains(tenant + "/bu/S1", tenant + "/bu/S1/os/CREATED", tenant + "/f/PICKUP_IN_STORE/CREATED")
                .doesNotContain(tenant + "/bu/*");

        ObjectNode fulfilled = OrderDocs.addFulfillment(
                OrderDocs.withoutFulfillments(OrderDocs.order("K1", "S1", "COMPLETED", "2026-03-02T10:00:00Z", "v2")),
                "F1",
                "PICKUP_IN_STORE",
                "S1",
                "FULFILLED",
                null,
                null,
                null);
        save(tenant, fulfilled);
        assertThat(storedKeys(tenant))
                .contains(tenant + "/bu/*", tenant + "/bu/*/os/COMPLETED", tenant + "/fs/FULFILLED")
                .doesNotContain(tenant + "/bu/S1/os/CREATED", tenant + "/fs/CREATED");
        assertThat(storedKeys(tenant))
                .isEqualTo(sorted(jdbc.queryForObject(
                        "SELECT customer_order_search_keys(tenant_id, business_unit_id, document) FROM customer_order"
                                + " WHERE tenant_id = :t",
                        new MapSqlParameterSource("t", tenant),
                        (rs, n) -> (String[]) rs.getArray(1).getArray())));
    }

    private void save(String tenant, ObjectNode root) {
        JsonNode order = root.get("customerOrder");
        orders.save(
                new StoredOrder(tenant, "K1", "S1", root.toString(), "OMS", null, null, List.of(), null), order, true);
    }

    private List<String> storedKeys(String tenant) {
        return sorted(jdbc.queryForObject(
                "SELECT search_keys FROM customer_order WHERE tenant_id = :t",
                new MapSqlParameterSource("t", tenant),
                (rs, n) -> {
                    Array keys = rs.getArray(1);
                    return (String[]) keys.getArray();
                }));
    }

    private static List<String> sorted(String[] keys) {
        List<String> list = new ArrayList<>(Arrays.asList(keys));
        list.sort(null);
        return list;
    }

    private record Case(String name, String bu, ObjectNode root) {}

    private static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(
                "pickup at the placing store",
                "S1",
                OrderDocs.order("O1", "S1", "CREATED", "2026-03-01T10:00:00Z", "v1")));
        cases.add(new Case(
                "no fulfilments",
                "S2",
                OrderDocs.withoutFulfillments(OrderDocs.order("O2", "S2", "CREATED", "2026-03-01T10:00:00Z", "v1"))));
        ObjectNode mixed =
                OrderDocs.withoutFulfillments(OrderDocs.order("O3", "S1", "IN_PROGRESS", "2026-03-01T10:00:00Z", "v1"));
        OrderDocs.addFulfillment(
                mixed, "F1", "HOME_DELIVERY_FROM_STORE", "S7", "READY_FOR_PICKUP", "C123456", null, null);
        OrderDocs.addFulfillment(
                mixed, "F2", "HOME_DELIVERY_FROM_WAREHOUSE", null, "FULFILLED", null, "a@b.test", null);
        OrderDocs.addFulfillment(mixed, "F3", "PICKUP_IN_STORE", "S1", "FULFILLED", null, null, null);
        cases.add(new Case("a store, a warehouse without business unit, two fulfilled", "S1", mixed));
        ObjectNode noStatus = OrderDocs.order("O4", "S3", "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) noStatus.get("customerOrder")).remove("status");
        ((ObjectNode) noStatus.get("customerOrder").get("fulfillments").get(0)).remove("status");
        cases.add(new Case("no order or fulfilment status", "S3", noStatus));
        ObjectNode nul = OrderDocs.order("O5", "S4", "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) nul.get("customerOrder").get("fulfillments").get(0)).put("fulfillmentMethod", "PICKUP\u0000X");
        cases.add(new Case("a NUL character in a value", "S4", nul));
        ObjectNode notObjects = OrderDocs.order("O6", "S5", "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) notObjects.get("customerOrder"))
                .putArray("fulfillments")
                .add("not an object")
                .addNull();
        cases.add(new Case("fulfilments that are not objects", "S5", notObjects));
        return cases;
    }
}
