package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.Redelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every outcome of domain.md's table, each caused over HTTP the way an OMS or an operator would. */
@HubTest
class EventOutcomesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    ApplicationContext context;

    Hub hub;
    String key;
    final String bu = "S1";

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        key = hub.newTenantKey(Hub.uniqueTenant("outcomes"), "[\"oms\", \"admin\"]", null);
    }

    @AfterEach
    void removeInjectedFailures() {
        db.execute("DROP TRIGGER IF EXISTS refuse_poison_orders ON customer_order");
        db.execute("DROP TRIGGER IF EXISTS fail_once_orders ON customer_order");
    }

    @Test
    void acceptedSnapshotIsAppliedAndReadBack() {
        String id = Hub.uniqueId("O");
        String doc = OrderDocs.put(id, bu);
        Hub.Answer put = put(id, doc, Map.of());
        assertThat(put.status()).as("PUT answer %s", put).isEqualTo(202);
        assertThat(put.json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(put.json().get("customerOrderId").asText()).isEqualTo(id);
        assertThat(put.header("Location")).isEqualTo("/api/v1/business-units/S1/customer-orders/" + id);

        JsonNode stored = awaitOrder(id);
        // the snapshot as sent, plus what the hub owns: the order code it minted for the store pickup
        ObjectNode fulfilment = (ObjectNode) stored.at("/customerOrder/fulfillments/0");
        assertThat(fulfilment.get("orderCode").asText()).matches("^C[0-9A-HJKMNP-TV-Z]{6}$");
        fulfilment.remove("orderCode");
        assertThat(stored).isEqualTo(json(doc));
        assertThat(outcomes(id)).containsExactly("APPLIED");
        JsonNode entry = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null)
                .json()
                .get("entries")
                .get(0);
        assertThat(io.orderhub.orders.OrderDocumentValidator.isRfc3339DateTime(
                        entry.get("at").asText()))
                .as("history time %s is RFC 3339", entry.get("at"))
                .isTrue();
    }

    @Test
    void snapshotWithANulCharacterIsStoredAndReadBackExactly() {
        String id = Hub.uniqueId("O");
        ObjectNode doc = OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) doc.path("customerOrder").path("customer")).put("name", "Ann\u0000Example");
        put(id, doc.toString(), Map.of());
        awaitOutcomes(id, 1);
        assertThat(outcomes(id)).containsExactly("APPLIED");
        assertThat(awaitOrder(id)
                        .path("customerOrder")
                        .path("customer")
                        .path("name")
                        .asText())
                .isEqualTo("Ann\u0000Example");
    }

    @Test
    void snapshotTheDatabaseCannotIndexIsDeadLetteredWithoutHoldingUpLaterOnes() {
        String id = Hub.uniqueId("O");
        // valid under the v2 schema (no maxLength), but far beyond what a database index entry can hold
        ObjectNode huge = OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) huge.path("customerOrder").path("customer")).put("customerId", incompressible(9000) + id);
        put(id, huge.toString(), Map.of());
        awaitOutcomes(id, 1);
        assertThat(outcomes(id)).containsExactly("DEAD_LETTERED");
        JsonNode dl = admin("GET", "/api/v1/dead-letters?customerOrderId=" + id)
                .json()
                .get("deadLetters")
                .get(0);
        assertThat(dl.get("errorClass").asText()).isEqualTo("PERSISTENT");
        // the OMS corrects it: the next snapshot of the order goes through
        put(id, OrderDocs.order(id, bu, "CREATED", "2026-03-01T11:00:00Z", "v2").toString(), Map.of());
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("DEAD_LETTERED", "APPLIED");
    }

    @Test
    void sameSnapshotAgainIsUnchanged() {
        String id = Hub.uniqueId("O");
        String doc = OrderDocs.put(id, bu);
        put(id, doc, Map.of());
        awaitOutcomes(id, 1);
        put(id, doc, Map.of());
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("APPLIED", "UNCHANGED");
    }

    @Test
    void redeliveredEventIsSkippedAsDuplicate() throws Exception {
        String id = Hub.uniqueId("O");
        put(id, OrderDocs.put(id, bu), Map.of());
        awaitOutcomes(id, 1);
        // a redelivery: the very same event (id and sequence) reaches the consumer again, as after a lost ack
        Redelivery.ofAppliedEvent(context, id);
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("APPLIED", "SKIPPED_DUPLICATE");
    }

    @Test
    void omsReplayOfAnOlderSnapshotIsSkippedAsStale() {
        String id = Hub.uniqueId("O");
        String newer = OrderDocs.order(id, bu, "IN_PROGRESS", "2026-03-02T10:00:00Z", "v2")
                .toString();
        String older =
                OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString();
        put(id, newer, Map.of());
        awaitOutcomes(id, 1);
        put(id, older, Map.of());
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("APPLIED", "SKIPPED_STALE");
        assertThat(awaitOrder(id).path("customerOrder").path("cartName").asText())
                .isEqualTo("v2");
    }

    @Test
    void eventTimeHeaderOrdersSnapshotsThatCarryNoNewerTimes() {
        String id = Hub.uniqueId("O");
        String v1 =
                OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString();
        String v2 =
                OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v2").toString();
        put(id, v2, Map.of("Event-Time", "2026-03-01T12:00:00Z"));
        awaitOutcomes(id, 1);
        put(id, v1, Map.of("Event-Time", "2026-03-01T11:00:00Z"));
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("APPLIED", "SKIPPED_STALE");
    }

    @Test
    void persistentFailureIsDeadLetteredThenReplayedAndApplied() {
        String id = "POISON-" + Hub.uniqueId("O");
        // a database rule refusing these orders, as a DBA might add one: every attempt fails the same way
        refusePoisonOrders();
        put(id, OrderDocs.put(id, bu), Map.of("Correlation-Id", "corr-" + id));
        awaitOutcomes(id, 1);
        assertThat(outcomes(id)).containsExactly("DEAD_LETTERED");

        JsonNode list =
                admin("GET", "/api/v1/dead-letters?customerOrderId=" + id).json();
        assertThat(list.get("deadLetters")).hasSize(1);
        JsonNode dl = list.get("deadLetters").get(0);
        assertThat(dl.get("errorClass").asText()).isEqualTo("PERSISTENT");
        assertThat(dl.get("attempts").asInt()).isEqualTo(1);
        assertThat(dl.get("correlationId").asText()).isEqualTo("corr-" + id);
        assertThat(dl.get("error").asText()).contains("refused by a database rule");
        assertThat(dl.get("origin").asText()).isEqualTo("OMS");
        assertThat(io.orderhub.orders.OrderDocumentValidator.isRfc3339DateTime(
                        dl.get("receivedAt").asText()))
                .as("receivedAt %s is RFC 3339", dl.get("receivedAt"))
                .isTrue();
        String dlId = dl.get("id").asText();
        assertThat(admin("GET", "/api/v1/dead-letters/" + dlId)
                        .json()
                        .path("payload")
                        .path("customerOrder")
                        .path("customerOrderId")
                        .asText())
                .isEqualTo(id);
        assertThat(hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, key, null)
                        .status())
                .isEqualTo(404);
        // operations hear of it once, with ids and the error, never customer data
        Hub.await(WAIT, "DEAD_LETTER alert for " + id, () -> alertsFor(id).size() == 1);
        JsonNode alert = alertsFor(id).get(0);
        assertThat(alert.get("kind").asText()).isEqualTo("DEAD_LETTER");
        assertThat(alert.get("correlationId").asText()).isEqualTo("corr-" + id);
        assertThat(alert.get("details").get("deadLetterId").asText())
                .isEqualTo(dl.get("id").asText());
        assertThat(alert.get("text").asText()).contains(id);
        assertThat(alert.toString()).doesNotContain("Alex Example");

        db.execute("DROP TRIGGER refuse_poison_orders ON customer_order");
        Hub.Answer replay = admin("POST", "/api/v1/dead-letters/" + dlId + ":replay");
        assertThat(replay.status()).as("replay %s", replay).isEqualTo(200);
        assertThat(replay.json().get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(awaitOrder(id).path("customerOrder").path("customerOrderId").asText())
                .isEqualTo(id);
        assertThat(admin("GET", "/api/v1/dead-letters/" + dlId)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("RESOLVED");
        // a resolved dead letter is not replayed twice
        assertThat(admin("POST", "/api/v1/dead-letters/" + dlId + ":replay").status())
                .isEqualTo(409);
    }

    @Test
    void replayOfADeadLetterAfterANewerEventIsStale() {
        String id = "POISON-" + Hub.uniqueId("O");
        refusePoisonOrders();
        put(id, OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString(), Map.of());
        awaitOutcomes(id, 1);
        db.execute("DROP TRIGGER refuse_poison_orders ON customer_order");
        put(
                id,
                OrderDocs.order(id, bu, "IN_PROGRESS", "2026-03-02T10:00:00Z", "v2")
                        .toString(),
                Map.of());
        awaitOutcomes(id, 2);
        String dlId = admin("GET", "/api/v1/dead-letters?customerOrderId=" + id)
                .json()
                .get("deadLetters")
                .get(0)
                .get("id")
                .asText();

        Hub.Answer replay = admin("POST", "/api/v1/dead-letters/" + dlId + ":replay");
        assertThat(replay.json().get("outcome").asText()).isEqualTo("SKIPPED_STALE");
        assertThat(awaitOrder(id).path("customerOrder").path("cartName").asText())
                .isEqualTo("v2");
        assertThat(outcomes(id)).containsExactly("DEAD_LETTERED", "APPLIED", "SKIPPED_STALE");
    }

    @Test
    void transientFailureIsRetriedWithBackoffThenApplied() {
        String id = "FLAKY-" + Hub.uniqueId("O");
        failFirstWriteOfFlakyOrders();
        put(id, OrderDocs.put(id, bu), Map.of());
        awaitOutcomes(id, 1);
        assertThat(outcomes(id)).containsExactly("APPLIED");
        assertThat(admin("GET", "/api/v1/dead-letters?customerOrderId=" + id)
                        .json()
                        .get("deadLetters"))
                .isEmpty();
    }

    @Test
    void laterSnapshotWaitsWhileAnEarlierOneIsRetried() {
        String id = "FLAKY-" + Hub.uniqueId("O");
        failFirstWriteOfFlakyOrders();
        // v1 meets a transient failure; v2, accepted meanwhile, must not overtake it (it would make v1 stale)
        put(id, OrderDocs.order(id, bu, "CREATED", "2026-03-01T10:00:00Z", "v1").toString(), Map.of());
        put(id, OrderDocs.order(id, bu, "CREATED", "2026-03-01T11:00:00Z", "v2").toString(), Map.of());
        awaitOutcomes(id, 2);
        assertThat(outcomes(id)).containsExactly("APPLIED", "APPLIED");
        assertThat(awaitOrder(id).path("customerOrder").path("cartName").asText())
                .isEqualTo("v2");
    }

    @Test
    void discardedDeadLetterIsRecordedInHistory() {
        String id = "POISON-" + Hub.uniqueId("O");
        refusePoisonOrders();
        put(id, OrderDocs.put(id, bu), Map.of());
        awaitOutcomes(id, 1);
        String dlId = admin("GET", "/api/v1/dead-letters?customerOrderId=" + id)
                .json()
                .get("deadLetters")
                .get(0)
                .get("id")
                .asText();
        assertThat(admin("DELETE", "/api/v1/dead-letters/" + dlId).status()).isEqualTo(204);
        assertThat(admin("GET", "/api/v1/dead-letters/" + dlId)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("DISCARDED");
        JsonNode history = hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", key, null)
                .json();
        List<String> kinds = new ArrayList<>();
        history.get("entries").forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).containsExactly("EVENT", "DEAD_LETTER_DISCARDED");
    }

    @Test
    void idempotencyKeyReturnsTheFirstAnswerAndRefusesAnotherBody() {
        String id = Hub.uniqueId("O");
        String doc = OrderDocs.put(id, bu);
        Hub.Answer first = put(id, doc, Map.of("Idempotency-Key", "k-" + id));
        Hub.Answer again = put(id, doc, Map.of("Idempotency-Key", "k-" + id));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("eventId")).isEqualTo(first.json().get("eventId"));
        awaitOutcomes(id, 1);
        Hub.Answer other = hub.send(
                "PUT",
                "/api/v1/business-units/" + bu + "/customer-orders/" + id,
                key,
                OrderDocs.order(id, bu, "IN_PROGRESS", "2026-03-02T10:00:00Z", "v2")
                        .toString(),
                Map.of("Idempotency-Key", "k-" + id));
        assertThat(other.status()).as("%s", other).isEqualTo(422);
        assertThat(other.json().get("type").asText()).isEqualTo("urn:orderhub:problem:idempotency-key-reused");
        assertThat(db.queryForObject("SELECT count(*) FROM order_history WHERE customer_order_id = ?", Long.class, id))
                .isEqualTo(1);
    }

    @Test
    void putToAnotherBusinessUnitOfAStoredOrderIsOrderMoved() {
        String id = Hub.uniqueId("O");
        put(id, OrderDocs.put(id, bu), Map.of());
        awaitOutcomes(id, 1);
        Hub.Answer moved =
                hub.send("PUT", "/api/v1/business-units/S2/customer-orders/" + id, key, OrderDocs.put(id, "S2"));
        assertThat(moved.status()).as("%s", moved).isEqualTo(409);
        assertThat(moved.json().get("type").asText()).isEqualTo("urn:orderhub:problem:order-moved");
    }

    // ------------------------------------------------------------------ helpers

    private static String incompressible(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(java.util.UUID.randomUUID());
        }
        return s.substring(0, length);
    }

    private static List<JsonNode> alertsFor(String orderId) {
        return io.orderhub.support.AlertReceiver.received().stream()
                .filter(a -> orderId.equals(a.path("customerOrderId").asText()))
                .toList();
    }

    /**
     * The first write of an order whose id starts with FLAKY- meets a serialization failure, as under concurrent load;
     * the retry goes through. A sequence counts the attempts, because it counts even when the transaction rolls back.
     */
    private void failFirstWriteOfFlakyOrders() {
        db.execute("DROP SEQUENCE IF EXISTS test_fail_once_seq");
        db.execute("CREATE SEQUENCE test_fail_once_seq");
        db.execute(
                """
                CREATE OR REPLACE FUNCTION test_fail_once() RETURNS trigger AS $$
                BEGIN
                  IF NEW.customer_order_id LIKE 'FLAKY-%' AND nextval('test_fail_once_seq') = 1 THEN
                    RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """);
        db.execute("CREATE TRIGGER fail_once_orders BEFORE INSERT OR UPDATE ON customer_order "
                + "FOR EACH ROW EXECUTE FUNCTION test_fail_once()");
    }

    private void refusePoisonOrders() {
        db.execute(
                """
                CREATE OR REPLACE FUNCTION test_refuse_poison() RETURNS trigger AS $$
                BEGIN
                  RAISE EXCEPTION 'order % refused by a database rule', NEW.customer_order_id;
                END $$ LANGUAGE plpgsql
                """);
        db.execute("DROP TRIGGER IF EXISTS refuse_poison_orders ON customer_order");
        db.execute("CREATE TRIGGER refuse_poison_orders BEFORE INSERT OR UPDATE ON customer_order FOR EACH ROW "
                + "WHEN (NEW.customer_order_id LIKE 'POISON-%') EXECUTE FUNCTION test_refuse_poison()");
    }

    private Hub.Answer put(String id, String doc, Map<String, String> headers) {
        Hub.Answer a = hub.send("PUT", "/api/v1/business-units/" + bu + "/customer-orders/" + id, key, doc, headers);
        assertThat(a.status()).as("PUT %s: %s", id, a).isEqualTo(202);
        return a;
    }

    private Hub.Answer admin(String method, String path) {
        return hub.send(method, path, key, null);
    }

    private JsonNode awaitOrder(String id) {
        JsonNode[] found = new JsonNode[1];
        Hub.await(WAIT, "order " + id + " readable", () -> {
            Hub.Answer a = hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id, key, null);
            if (a.status() == 200) {
                found[0] = a.json();
                return true;
            }
            return false;
        });
        return found[0];
    }

    private void awaitOutcomes(String id, int n) {
        Hub.await(WAIT, n + " outcomes for " + id, () -> outcomes(id).size() >= n);
    }

    private List<String> outcomes(String id) {
        Hub.Answer a =
                hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id + "/history", key, null);
        List<String> outcomes = new ArrayList<>();
        if (a.status() == 200) {
            a.json().get("entries").forEach(e -> {
                if (e.has("outcome")) {
                    outcomes.add(e.get("outcome").asText());
                }
            });
        }
        return outcomes;
    }

    private static ObjectNode json(String doc) {
        try {
            return (ObjectNode) Hub.JSON.readTree(doc);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
