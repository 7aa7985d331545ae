package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.storage.Retention;
import io.orderhub.support.AlertReceiver;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.WebhookReceiver;
import io.orderhub.support.WebhookReceiver.Request;
import io.orderhub.support.WebhookReceiver.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How the hub looks after its subscribers (outbound.md): a subscriber failing for hub.webhooks.disable-after (4 s in
 * tests) is disabled with an alert and catches up in order once enabled; a delivery pending longer than
 * hub.alerts.max-delivery-age (2 s) raises DELIVERY_AGING; deliveries are counted per subscription; delivered ones
 * leave the journal after their retention.
 */
@HubTest
class WebhookHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    Retention retention;

    Hub hub;
    WebhookReceiver receiver;
    String tenant;
    String admin;
    String oms;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("wh-health");
        admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void tearDown() {
        hub.send("GET", "/api/v1/webhooks", admin, null)
                .json()
                .path("webhooks")
                .forEach(w -> hub.send(
                        "DELETE", "/api/v1/webhooks/" + w.path("webhookId").asText(), admin, null));
        receiver.close();
    }

    @Test
    void aSubscriberFailingTooLongIsDisabledWithAnAlertAndCatchesUpWhenEnabled() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        receiver.answerByDefault(path, Response.status(503));
        subscribe(wh, receiver.url(path), true);
        // the OMS keeps changing orders, so attempts keep failing past hub.webhooks.disable-after (4 s)
        int[] changes = {0};
        Hub.await(WAIT, "webhook " + wh + " disabled", () -> {
            if (!subscription(wh).path("enabled").asBoolean(true)) {
                return true;
            }
            put(Hub.uniqueId("O"), "10:00", "change-" + ++changes[0]);
            sleepWhileAsserting("pace the changes", 300);
            return false;
        });
        JsonNode alert = awaitAlert("WEBHOOK_DISABLED");
        assertThat(alert.path("details").path("webhookId").asText()).isEqualTo(wh);
        assertThat(alert.path("message").asText()).contains("disabled");

        // while disabled, a change still reaches the journal and waits there, unsent
        int sentBefore = receiver.requests(path).size();
        String id = Hub.uniqueId("O");
        put(id, "10:00", "while-disabled");
        Hub.await(WAIT, "the change journaled while disabled", () -> journal(wh, "PENDING")
                .path("deliveries")
                .findValuesAsText("customerOrderId")
                .contains(id));
        sleepWhileAsserting("nothing is sent to a disabled subscription", 600);
        assertThat(receiver.requests(path, "S1/" + id)).isEmpty();

        // the subscriber is repaired and the operator enables it again: the waiting change goes out
        receiver.answerByDefault(path, Response.status(204));
        subscribe(wh, receiver.url(path), true);
        Request delivered = receiver.awaitAcknowledged(
                path, WAIT, "the change made while disabled", r -> r.subject().equals("S1/" + id));
        assertThat(delivered.payload().at("/customerOrder/cartName").asText()).isEqualTo("while-disabled");
        assertThat(receiver.requests(path).size()).isGreaterThan(sentBefore);
    }

    @Test
    void aDeliveryPendingTooLongRaisesDeliveryAgingOnce() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        // the subscriber asks the hub to come back in 6 s: the delivery stays pending past the 2 s limit
        receiver.enqueue(path, Response.status(429).retryAfter(6));
        subscribe(wh, receiver.url(path), true);
        put(Hub.uniqueId("O"), "10:00", "v1");

        JsonNode alert = awaitAlert("DELIVERY_AGING");
        assertThat(alert.path("details").path("webhookId").asText()).isEqualTo(wh);
        sleepWhileAsserting("a later check of the same aging delivery alerts no more", 1500);
        assertThat(alerts("DELIVERY_AGING")).hasSize(1);
    }

    @Test
    void deliveriesAreCountedPerSubscriptionAndPendingOnesGauged() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        receiver.enqueue(path, Response.status(500));
        subscribe(wh, receiver.url(path), true);
        put(Hub.uniqueId("O"), "10:00", "v1");
        receiver.awaitAcknowledged(path, WAIT, "the update", r -> true);

        String metrics =
                hub.send("GET", "/actuator/prometheus", Hub.SCRAPE_TOKEN, null).body();
        String tags = "tenant=\"" + tenant + "\",webhook=\"" + wh + "\"";
        assertThat(metrics)
                .contains("orderhub_webhook_deliveries_total{outcome=\"DELIVERED\"," + tags + "} 1.0")
                .contains("orderhub_webhook_deliveries_total{outcome=\"RETRIED\"," + tags + "} 1.0");
    }

    @Test
    void deliveredDeliveriesLeaveTheJournalAfterTheirRetention() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        subscribe(wh, receiver.url(path), true);
        put(Hub.uniqueId("O"), "10:00", "v1");
        receiver.awaitAcknowledged(path, WAIT, "the update", r -> true);
        Hub.await(WAIT, "journal says delivered", () -> journal(wh)
                .path("deliveries")
                .path(0)
                .path("status")
                .asText()
                .equals("DELIVERED"));
        // as if a week had passed
        db.update(
                "UPDATE webhook_delivery SET delivered_at = now() - interval '8 days' WHERE tenant_id = ? AND webhook_id = ?",
                tenant,
                wh);
        retention.sweep();
        assertThat(journal(wh).path("page").path("total").asInt()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private void subscribe(String wh, String url, boolean enabled) {
        Hub.Answer a = hub.send(
                "PUT",
                "/api/v1/webhooks/" + wh,
                admin,
                "{\"url\": \"" + url + "\", \"eventTypes\": [\"cor.customer-order-updates.v2\"], \"enabled\": "
                        + enabled + "}");
        assertThat(a.status()).as("%s", a).isIn(200, 201);
    }

    private JsonNode subscription(String wh) {
        return hub.send("GET", "/api/v1/webhooks/" + wh, admin, null).json();
    }

    private JsonNode journal(String wh) {
        return hub.send("GET", "/api/v1/webhooks/" + wh + "/deliveries", admin, null)
                .json();
    }

    private JsonNode journal(String wh, String status) {
        return hub.send("GET", "/api/v1/webhooks/" + wh + "/deliveries?status=" + status, admin, null)
                .json();
    }

    private void put(String id, String hourMinute, String cart) {
        Hub.Answer a = hub.send(
                "PUT",
                "/api/v1/business-units/S1/customer-orders/" + id,
                oms,
                OrderDocs.order(id, "S1", "CREATED", "2026-03-01T" + hourMinute + ":00Z", cart)
                        .toString());
        assertThat(a.status()).isEqualTo(202);
    }

    private List<JsonNode> alerts(String kind) {
        return AlertReceiver.received().stream()
                .filter(a -> kind.equals(a.path("kind").asText())
                        && tenant.equals(a.path("tenantId").asText()))
                .toList();
    }

    private JsonNode awaitAlert(String kind) {
        Hub.await(WAIT, kind + " alert for " + tenant, () -> !alerts(kind).isEmpty());
        return alerts(kind).get(0);
    }

    /** Waits a moment before asserting that something did NOT happen in it. */
    private static void sleepWhileAsserting(String what, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what, e);
        }
    }
}
