package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.WebhookReceiver;
import io.orderhub.support.WebhookReceiver.Request;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;

/** POSLogs as a txr.transactions.v1 subscriber receives them (outbound.md "POSLog"), over real HTTP. */
@HubTest
class PosLogsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    Hub hub;
    WebhookReceiver receiver;
    String tenant;
    String admin;
    String oms;
    String s1;
    String path;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("poslog");
        admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        s1 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
        // the business day is the store's: Stockholm
        assertThat(hub.send(
                                "PUT",
                                "/admin/v1/tenants/" + tenant,
                                Hub.ADMIN_TOKEN,
                                "{\"timeZone\": \"Europe/Stockholm\"}")
                        .status())
                .isEqualTo(200);
        receiver = WebhookReceiver.start();
        path = "/" + tenant;
        Hub.Answer sub = hub.send(
                "PUT",
                "/api/v1/webhooks/poslogs",
                admin,
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"txr.transactions.v1\"]}");
        assertThat(sub.status()).as("%s", sub).isEqualTo(201);
    }

    @AfterEach
    void tearDown() {
        hub.send("DELETE", "/api/v1/webhooks/poslogs", admin, null);
        receiver.close();
    }

    @Test
    void eachStoreDeliverThatMovesQuantitiesIsOnePosLogNumberedWithoutGaps() throws Exception {
        String id = stored(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1"));

        deliver(id, "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 2}]}", null);
        Request first = awaitPosLogs(1).get(0);
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.envelope().path("datacontenttype").asText()).isEqualTo("application/zip");
        assertThat(first.envelope().path("type").asText()).isEqualTo("txr.transactions.v1");
        assertThat(first.envelope().path("meta").path("businessDay").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(first.envelope().path("meta").path("origin").asText()).isEqualTo("STORE");
        Document xml = inflate(first);
        assertThat(text(xml, "UnitID")).isEqualTo("S1");
        assertThat(text(xml, "WorkstationID")).isEqualTo("ORDERHUB");
        assertThat(firstTransactionSequence(xml)).isEqualTo("1");
        assertThat(text(xml, "CustomerOrderID")).isEqualTo(id);
        assertThat(xml.getElementsByTagNameNS(PosLogXml.NS, "LineItem").getLength())
                .isEqualTo(1);
        assertThat(text(xml, "ItemID")).isEqualTo("SKU-200");
        // 2 x 4.50
        assertThat(new BigDecimal(text(xml, "ExtendedAmount"))).isEqualByComparingTo("9.00");

        // a POS retry of the same deliver (same Idempotency-Key) is not a second sale
        deliver(id, "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}]}", "till-7");
        deliver(id, "{\"lineItems\": [{\"lineItemId\": \"1\", \"quantity\": 1}]}", "till-7");
        // ready for pickup moves no goods: no POSLog
        assertThat(hub.send(
                                "POST",
                                "/api/v1/business-units/S1/customer-orders/" + id + "/fulfillments/F1:ready-for-pickup",
                                s1,
                                null)
                        .status())
                .isEqualTo(200);
        deliver(id, null, null);
        List<Request> all = awaitPosLogs(3);
        Thread.sleep(500); // nothing more is on its way: checked below
        assertThat(receiver.acknowledged(path)).hasSize(3);
        assertThat(all.stream()
                        .map(r -> firstTransactionSequence(inflateQuietly(r)))
                        .toList())
                .containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    void aWarehouseFulfilmentSeenBecomingFulfilledIsOnePosLogAndNeverTwo() throws Exception {
        String id = Hub.uniqueId("W");
        ObjectNode created = warehouseOrder(id, "CREATED", "2026-03-01T10:00:00Z", "v1");
        stored(created);
        put(warehouseOrder(id, "FULFILLED", "2026-03-01T11:00:00Z", "v2"));
        Request posLog = awaitPosLogs(1).get(0);
        Document xml = inflate(posLog);
        assertThat(text(xml, "CustomerOrderID")).isEqualTo(id);
        assertThat(posLog.envelope().path("meta").path("origin").asText()).isEqualTo("OMS");

        // a later snapshot still FULFILLED, and the same snapshot again: no second POSLog
        put(warehouseOrder(id, "FULFILLED", "2026-03-01T12:00:00Z", "v3"));
        put(warehouseOrder(id, "FULFILLED", "2026-03-01T12:00:00Z", "v3"));
        awaitHistory(id, 4);
        Thread.sleep(500); // give a wrongly issued second POSLog time to arrive
        assertThat(receiver.acknowledged(path)).hasSize(1);
    }

    @Test
    void anOrderFirstSeenAlreadyFulfilledIssuesNoPosLog() throws Exception {
        String id = Hub.uniqueId("B");
        stored(warehouseOrder(id, "FULFILLED", "2026-03-01T10:00:00Z", "backfill"));
        // a marker delivery proves the dispatcher ran after the backfilled order was applied
        String marker = stored(OrderDocs.order(Hub.uniqueId("M"), "S1", "CREATED", "2026-03-01T10:00:00Z", "m"));
        deliver(marker, null, null);
        List<Request> received = awaitPosLogs(1);
        Thread.sleep(300); // and nothing else follows
        assertThat(receiver.acknowledged(path)).hasSize(1);
        assertThat(text(inflate(received.get(0)), "CustomerOrderID")).isEqualTo(marker);
    }

    @Test
    void aPosLogFromAPosIsRelayedOnceAndABadOneIsRefused() throws Exception {
        String xml = PosLogXml.xml(new PosLogXml.Transaction(
                "S1",
                "TILL-3",
                4711,
                "pos-tx-4711",
                Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T10:01:00Z"),
                "EUR",
                "PICKUP-1",
                "F1",
                List.of(new PosLogXml.Line("1", "SKU-1", BigDecimal.ONE, new BigDecimal("9.95"), List.of()))));

        Hub.Answer first = relay("S1", xml, "application/xml");
        assertThat(first.status()).as("%s", first).isEqualTo(202);
        assertThat(first.json().get("status").asText()).isEqualTo("ACCEPTED");
        Request relayed = awaitPosLogs(1).get(0);
        assertThat(PosLogXml.inflate(relayed.data())).isEqualTo(xml);
        assertThat(relayed.envelope().path("meta").path("businessDay").asText())
                .as("10:01 UTC is 11:01 in Stockholm, the same day")
                .isEqualTo("2026-03-01");

        Hub.Answer again = relay("S1", xml, "application/xml");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("status").asText()).isEqualTo("DUPLICATE");

        assertThat(relay("S1", "<POSLog><Transaction>", "application/xml").status())
                .isEqualTo(400);
        Hub.Answer otherStore = relay("S1", xml.replace(">S1<", ">S2<"), "application/xml");
        assertThat(otherStore.status()).isEqualTo(400);
        assertThat(otherStore.body()).contains("S2");
        assertThat(relay("S1", xml, "text/plain").status()).isEqualTo(415);
        Thread.sleep(500); // nothing more is on its way
        assertThat(receiver.acknowledged(path)).hasSize(1);
    }

    @Test
    void aPosLogThatCannotBeBuiltFlagsTheOrderAlertsAndIsIssuedOnceTheOrderIsCorrected() throws Exception {
        // an item id with a control character: fine in JSON, impossible in XML 1.0
        ObjectNode doc = OrderDocs.order(Hub.uniqueId("F"), "S1", "CREATED", "2026-03-01T10:00:00Z", "v1");
        ((ObjectNode) doc.at("/customerOrder/fulfillments/0/lineItems/1")).put("itemId", "SKU\u0001BAD");
        String id = stored(doc);

        deliver(id, "{\"lineItems\": [{\"lineItemId\": \"2\", \"quantity\": 1}]}", null);

        Hub.await(WAIT, "POSLOG_FAILED alert", () -> io.orderhub.support.AlertReceiver.received().stream()
                .anyMatch(a -> "POSLOG_FAILED".equals(a.path("kind").asText())
                        && tenant.equals(a.path("tenantId").asText())));
        assertThat(flags(id)).containsExactly("FINALIZATION_FAILED");
        assertThat(hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", oms, null)
                        .json()
                        .path("entries")
                        .findValuesAsText("kind"))
                .contains("DELIVER", "POSLOG");
        assertThat(receiver.acknowledged(path)).as("no POSLog went out").isEmpty();

        // the OMS corrects the item id (keeping what the store handed out): the retry issues the POSLog
        ObjectNode fixed = OrderDocs.order(id, "S1", "IN_PROGRESS", "2026-03-01T11:00:00Z", "v2");
        ((ObjectNode) fixed.at("/customerOrder/fulfillments/0/lineItems/1")).put("quantity", 1);
        put(fixed);
        Request posLog = awaitPosLogs(1).get(0);
        Document xml = inflate(posLog);
        assertThat(text(xml, "ItemID")).isEqualTo("SKU-200");
        Hub.await(WAIT, "the flag cleared", () -> flags(id).isEmpty());
    }

    private List<String> flags(String id) {
        Hub.Answer found = hub.send(
                "POST",
                "/api/v1/business-units/S1/customer-orders:search",
                s1,
                "{\"customerId\": \"CUST-" + id + "\"}");
        assertThat(found.status()).as("%s", found).isEqualTo(200);
        List<String> flags = new java.util.ArrayList<>();
        found.json().path("customerOrders").path(0).path("flags").forEach(f -> flags.add(f.asText()));
        return flags;
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectNode warehouseOrder(String id, String status, String changedAt, String cart) {
        ObjectNode doc = OrderDocs.withoutFulfillments(OrderDocs.order(id, "S1", status, changedAt, cart));
        return OrderDocs.addFulfillment(doc, "W1", "HOME_DELIVERY_FROM_WAREHOUSE", null, status, null, null, null);
    }

    private String stored(ObjectNode doc) {
        String id = doc.at("/customerOrder/customerOrderId").asText();
        put(doc);
        Hub.await(
                WAIT,
                "order " + id + " stored",
                () -> hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, oms, null)
                                .status()
                        == 200);
        return id;
    }

    private void put(ObjectNode doc) {
        String id = doc.at("/customerOrder/customerOrderId").asText();
        assertThat(hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, oms, doc.toString())
                        .status())
                .isEqualTo(202);
    }

    private void awaitHistory(String id, int entries) {
        Hub.await(
                WAIT,
                entries + " history entries of " + id,
                () -> hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", oms, null)
                                .json()
                                .path("entries")
                                .size()
                        >= entries);
    }

    private void deliver(String id, String body, String idempotencyKey) {
        Hub.Answer a = hub.send(
                "POST",
                "/api/v1/business-units/S1/customer-orders/" + id + "/fulfillments/F1:deliver",
                s1,
                body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        assertThat(a.status()).as("deliver %s", a).isEqualTo(200);
    }

    private Hub.Answer relay(String bu, String xml, String contentType) {
        return hub.send(
                "POST", "/api/v1/business-units/" + bu + "/poslogs", s1, xml, Map.of("Content-Type", contentType));
    }

    private List<Request> awaitPosLogs(int n) {
        Hub.await(WAIT, n + " POSLogs", () -> receiver.acknowledged(path).size() >= n);
        return receiver.acknowledged(path);
    }

    private static Document inflate(Request r) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(
                        PosLogXml.inflate(r.data()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Document inflateQuietly(Request r) {
        try {
            return inflate(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String text(Document xml, String localName) {
        return xml.getElementsByTagNameNS(PosLogXml.NS, localName).item(0).getTextContent();
    }

    /** The Transaction's own SequenceNumber (line items have theirs too). */
    private static String firstTransactionSequence(Document xml) {
        org.w3c.dom.Node tx =
                xml.getElementsByTagNameNS(PosLogXml.NS, "Transaction").item(0);
        for (org.w3c.dom.Node c = tx.getFirstChild(); c != null; c = c.getNextSibling()) {
            if ("SequenceNumber".equals(c.getLocalName())) {
                return c.getTextContent();
            }
        }
        throw new AssertionError("no SequenceNumber in the Transaction");
    }
}
