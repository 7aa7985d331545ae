package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.support.AlertReceiver;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.WebhookReceiver;
import io.orderhub.support.WebhookReceiver.Request;
import io.orderhub.support.WebhookReceiver.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * outbound.md and api.md "Webhook subscriptions": subscriptions managed over HTTP by a tenant's admin, order updates
 * delivered signed to a real HTTP receiver, retried, kept in order, journaled and replayed. The receiver checks the
 * signatures with its own code, as a subscriber would.
 */
@HubTest
class WebhooksTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ORDER_UPDATES = "cor.customer-order-updates.v2";
    private static final String TRANSACTIONS = "txr.transactions.v1";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String MASK = "***";

    @LocalServerPort
    int port;

    @Autowired
    OrderDocumentValidator validator;

    Hub hub;
    WebhookReceiver receiver;
    String tenant;
    String admin;
    String oms;
    String s1;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("webhooks");
        // every key first: creating a key puts the tenant again with default settings
        admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
        oms = hub.newTenantKey(tenant, "[\"oms\"]", null);
        s1 = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void tearDown() {
        // no subscription of this test keeps the hub's dispatcher busy after it
        Hub.Answer list = hub.send("GET", "/api/v1/webhooks", admin, null);
        if (list.status() == 200) {
            list.json()
                    .path("webhooks")
                    .forEach(w -> hub.send(
                            "DELETE", "/api/v1/webhooks/" + w.path("webhookId").asText(), admin, null));
        }
        receiver.close();
    }

    // ---------------------------------------------------------------- subscriptions

    @Test
    void subscriptionIsCreatedReadUpdatedAndDeletedWithItsSecretsMasked() {
        String wh = Hub.uniqueId("wh");
        ObjectNode body = subscription(receiver.url("/" + wh), ORDER_UPDATES);
        body.putObject("auth").put("type", "basic").put("username", "hub-user").put("password", "s3cret-pass");

        Hub.Answer created = putWebhook(wh, body);

        assertThat(created.status()).as("create: %s", created).isEqualTo(201);
        assertThat(created.header("Location")).as("Location of %s", created).endsWith("/api/v1/webhooks/" + wh);
        JsonNode c = created.json();
        assertThat(c.path("webhookId").asText()).isEqualTo(wh);
        assertThat(c.path("url").asText()).isEqualTo(receiver.url("/" + wh));
        assertThat(texts(c.path("eventTypes"))).containsExactly(ORDER_UPDATES);
        assertThat(isNullOrAbsent(c.get("origins"))).as("origins of %s", c).isTrue();
        assertThat(isNullOrAbsent(c.get("businessUnits")))
                .as("businessUnits of %s", c)
                .isTrue();
        assertThat(c.path("auth").path("type").asText()).isEqualTo("basic");
        assertThat(c.path("auth").path("username").asText()).isEqualTo("hub-user");
        assertThat(c.path("auth").path("password").asText()).isEqualTo(MASK);
        assertThat(c.path("enabled").asBoolean(false)).as("enabled of %s", c).isTrue();
        assertThat(created.body()).doesNotContain("s3cret-pass");
        String generated = c.path("sharedKey").asText();
        assertThat(generated).as("the generated key, shown this once").startsWith("whsec_");
        assertThat(WebhookReceiver.keyBytes(generated))
                .as("bytes of the generated key %s", generated)
                .hasSizeGreaterThanOrEqualTo(16);

        ObjectNode masked = c.deepCopy();
        masked.put("sharedKey", MASK);
        Hub.Answer read = hub.send("GET", "/api/v1/webhooks/" + wh, admin, null);
        assertThat(read.status()).as("GET %s", read).isEqualTo(200);
        assertThat(read.json()).as("GET after create").isEqualTo(masked);
        assertThat(read.body()).doesNotContain(generated).doesNotContain("s3cret-pass");
        assertThat(listed(admin)).as("the tenant's list").contains(masked);

        // an update without a sharedKey keeps the key; secrets are masked in its answer too
        ObjectNode update = subscription(receiver.url("/" + wh + "/moved"), ORDER_UPDATES);
        update.putArray("origins").add("STORE").add("HUB");
        update.putObject("auth").put("type", "bearer").put("token", "tok-" + wh);
        Hub.Answer updated = putWebhook(wh, update);

        assertThat(updated.status()).as("update: %s", updated).isEqualTo(200);
        JsonNode u = updated.json();
        assertThat(u.path("url").asText()).isEqualTo(receiver.url("/" + wh + "/moved"));
        assertThat(texts(u.path("origins"))).containsExactly("STORE", "HUB");
        assertThat(u.path("auth").path("type").asText()).isEqualTo("bearer");
        assertThat(u.path("auth").path("token").asText()).isEqualTo(MASK);
        assertThat(u.path("sharedKey").asText()).isEqualTo(MASK);
        assertThat(updated.body()).doesNotContain("tok-" + wh).doesNotContain(generated);
        assertThat(hub.send("GET", "/api/v1/webhooks/" + wh, admin, null).json())
                .as("GET after update")
                .isEqualTo(u);

        Request ping = ping(wh, "/" + wh + "/moved");
        assertThat(WebhookReceiver.hiiSignatureValid(ping, generated))
                .as("X-Hii-Signature with the key generated at creation, after an update without a key: %s", ping)
                .isTrue();
        assertThat(WebhookReceiver.standardSignatureValid(ping, generated))
                .as("webhook-signature with the key generated at creation: %s", ping)
                .isTrue();
        assertThat(ping.header("Authorization")).isEqualTo("Bearer tok-" + wh);

        // a key given by the admin is not echoed either
        ObjectNode withKey = update.deepCopy().put("sharedKey", "given-key-" + wh);
        Hub.Answer rekeyed = putWebhook(wh, withKey);
        assertThat(rekeyed.status()).as("update with a key: %s", rekeyed).isEqualTo(200);
        assertThat(rekeyed.json().path("sharedKey").asText()).isEqualTo(MASK);
        assertThat(rekeyed.body()).doesNotContain("given-key-" + wh);

        Hub.Answer deleted = hub.send("DELETE", "/api/v1/webhooks/" + wh, admin, null);
        assertThat(deleted.status()).as("DELETE %s", deleted).isEqualTo(204);
        assertThat(hub.send("GET", "/api/v1/webhooks/" + wh, admin, null).status())
                .as("GET after DELETE")
                .isEqualTo(404);
        assertThat(listed(admin)).extracting(w -> w.path("webhookId").asText()).doesNotContain(wh);
    }

    @Test
    void anotherTenantNeitherSeesNorManagesTheSubscription() {
        String wh = Hub.uniqueId("wh");
        created(wh, subscription(receiver.url("/" + wh), ORDER_UPDATES));
        String otherAdmin = hub.newTenantKey(Hub.uniqueTenant("webhooks-other"), "[\"admin\"]", null);

        assertThat(hub.send("GET", "/api/v1/webhooks/" + wh, otherAdmin, null).status())
                .as("GET by another tenant's admin")
                .isEqualTo(404);
        assertThat(listed(otherAdmin))
                .extracting(w -> w.path("webhookId").asText())
                .doesNotContain(wh);
        assertThat(hub.send("DELETE", "/api/v1/webhooks/" + wh, otherAdmin, null)
                        .status())
                .as("DELETE by another tenant's admin")
                .isEqualTo(404);
        assertThat(hub.send("GET", "/api/v1/webhooks/" + wh, admin, null).status())
                .as("the subscription is still there for its own tenant")
                .isEqualTo(200);
    }

    @Test
    void onlyAnAdminKeyManagesSubscriptions() {
        String wh = Hub.uniqueId("wh");
        String body = subscription(receiver.url("/" + wh), ORDER_UPDATES).toString();
        created(wh, subscription(receiver.url("/" + wh), ORDER_UPDATES));
        String base = "/api/v1/webhooks/" + wh;

        for (String key : List.of(oms, s1)) {
            String who = key.equals(oms) ? "oms key" : "store key";
            assertForbidden(hub.send("GET", "/api/v1/webhooks", key, null), who);
            assertForbidden(hub.send("GET", base, key, null), who);
            assertForbidden(hub.send("PUT", base, key, body), who);
            assertForbidden(hub.send("PUT", "/api/v1/webhooks/" + Hub.uniqueId("wh"), key, body), who);
            assertForbidden(hub.send("DELETE", base, key, null), who);
            assertForbidden(hub.send("POST", base + ":ping", key, null), who);
            assertForbidden(hub.send("GET", base + "/deliveries", key, null), who);
            assertForbidden(hub.send("POST", base + "/deliveries:replay", key, "{\"status\": \"FAILED\"}"), who);
        }
        assertThat(hub.send("GET", base, null, null).status())
                .as("GET without a key")
                .isEqualTo(401);
        assertThat(hub.send("GET", base, admin, null).status())
                .as("the subscription after the refused calls")
                .isEqualTo(200);
        assertThat(receiver.requests()).as("nothing was pinged").isEmpty();
    }

    @Test
    void badSubscriptionsAre400NamingTheFieldAndCreateNothing() {
        String path = "/refused";
        String url = receiver.url(path);
        List<Object[]> cases = new ArrayList<>();
        cases.add(bad("not http(s)", subscription("ftp://127.0.0.1/x", ORDER_UPDATES), "/url"));
        cases.add(bad("not a URL", subscription("not a url", ORDER_UPDATES), "/url"));
        cases.add(bad("a private address", subscription("http://10.0.0.5/x", ORDER_UPDATES), "/url"));
        cases.add(bad("the metadata address", subscription("http://169.254.169.254/", ORDER_UPDATES), "/url"));
        cases.add(bad("loopback outside the allow-list", subscription("http://127.0.0.2:9/x", ORDER_UPDATES), "/url"));
        cases.add(
                bad("the name localhost", subscription(url.replace("127.0.0.1", "localhost"), ORDER_UPDATES), "/url"));
        ObjectNode noUrl = subscription(url, ORDER_UPDATES);
        noUrl.remove("url");
        cases.add(bad("no url", noUrl, "/url"));
        cases.add(bad("an unknown event type", subscription(url, "cor.customer-order-updates.v1"), "/eventTypes/0"));
        cases.add(bad("a second, unknown event type", subscription(url, ORDER_UPDATES, "nope.v1"), "/eventTypes/1"));
        cases.add(bad("no event type", subscription(url), "/eventTypes"));
        ObjectNode noTypes = subscription(url, ORDER_UPDATES);
        noTypes.remove("eventTypes");
        cases.add(bad("eventTypes missing", noTypes, "/eventTypes"));
        ObjectNode badOrigin = subscription(url, ORDER_UPDATES);
        badOrigin.putArray("origins").add("OMS").add("POS");
        cases.add(bad("an unknown origin", badOrigin, "/origins/1"));
        ObjectNode badAuth = subscription(url, ORDER_UPDATES);
        badAuth.putObject("auth").put("type", "digest").put("username", "u").put("password", "p");
        cases.add(bad("an unknown auth type", badAuth, "/auth/type"));
        ObjectNode unknownField = subscription(url, ORDER_UPDATES).put("colour", "red");
        cases.add(bad("an unknown field", unknownField, "/colour"));

        for (Object[] c : cases) {
            String wh = Hub.uniqueId("wh");
            Hub.Answer refused = putWebhook(wh, (JsonNode) c[1]);
            assertProblem(refused, 400, (String) c[2], c[0] + ": " + c[1]);
            assertThat(hub.send("GET", "/api/v1/webhooks/" + wh, admin, null).status())
                    .as("GET of the subscription refused for %s", c[0])
                    .isEqualTo(404);
        }

        String malformedId = Hub.uniqueId("wh");
        Hub.Answer malformed = hub.send("PUT", "/api/v1/webhooks/" + malformedId, admin, "{\"url\": \"" + url + "\", ");
        assertProblem(malformed, 400, null, "malformed JSON");
        assertThat(malformed.json().path("type").asText()).isEqualTo("urn:orderhub:problem:malformed-json");
        assertThat(hub.send("GET", "/api/v1/webhooks/" + malformedId, admin, null)
                        .status())
                .isEqualTo(404);

        for (String badId : List.of("a".repeat(65), "bad!id")) {
            Hub.Answer refused = hub.send(
                    "PUT",
                    "/api/v1/webhooks/" + badId,
                    admin,
                    subscription(url, ORDER_UPDATES).toString());
            assertThat(refused.status()).as("webhook id %s: %s", badId, refused).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith(PROBLEM_JSON);
        }
        assertThat(listed(admin)).as("subscriptions after only refused PUTs").isEmpty();

        // an order update reaches a valid subscription but nothing reaches the refused ones' address
        String control = Hub.uniqueId("wh");
        created(control, subscription(receiver.url("/" + control), ORDER_UPDATES));
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        receiver.awaitAcknowledged(
                "/" + control, WAIT, "the update of " + id, r -> r.subject().equals("S1/" + id));
        assertThat(receiver.requests(path))
                .as("deliveries to the refused subscriptions' URL")
                .isEmpty();
    }

    // ---------------------------------------------------------------- what is delivered

    @Test
    void omsUpdateIsDeliveredSignedWithTheOrderAsStored() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        ObjectNode sub = subscription(receiver.url(path), ORDER_UPDATES);
        sub.putObject("auth").put("type", "basic").put("username", "erp").put("password", "pa:ss-" + wh);
        String key = created(wh, sub);
        String id = Hub.uniqueId("O");

        long before = Instant.now().getEpochSecond();
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), "oms-put-" + id);
        Request d = receiver.awaitAcknowledged(
                path, WAIT, "the update of " + id, r -> r.subject().equals("S1/" + id));

        assertThat(d.method()).isEqualTo("POST");
        assertThat(d.header("Content-Type")).as("Content-Type of %s", d).startsWith("application/json");
        assertThat(d.header("User-Agent")).as("User-Agent of %s", d).matches("OrderHub/\\S+");
        assertThat(d.header("Correlation-Id"))
                .as("Correlation-Id, the OMS PUT's")
                .isEqualTo("oms-put-" + id);
        String basic = Base64.getEncoder().encodeToString(("erp:pa:ss-" + wh).getBytes(StandardCharsets.UTF_8));
        assertThat(d.header("Authorization")).isEqualTo("Basic " + basic);

        assertThat(WebhookReceiver.hiiSignatureValid(d, key))
                .as("X-Hii-Signature %s of %s", d.header("X-Hii-Signature"), d)
                .isTrue();
        assertThat(WebhookReceiver.standardSignatureValid(d, key))
                .as("webhook-signature %s of %s", d.header("webhook-signature"), d)
                .isTrue();
        assertThat(WebhookReceiver.hiiSignatureValid(d, "not-" + key))
                .as("the receiver's check refuses another key")
                .isFalse();
        assertThat(WebhookReceiver.standardSignatureValid(
                        d,
                        "whsec_" + Base64.getEncoder().encodeToString("another key".getBytes(StandardCharsets.UTF_8))))
                .as("the receiver's check refuses another key")
                .isFalse();
        assertThat(d.header("webhook-id")).isEqualTo(d.eventId());
        assertThat(Long.parseLong(d.header("webhook-timestamp")))
                .as("webhook-timestamp, unix seconds of the attempt")
                .isBetween(before - 5, Instant.now().getEpochSecond() + 5);

        JsonNode e = d.envelope();
        assertThat(e.path("id").asText()).isNotBlank();
        assertThat(e.path("source").asText()).isEqualTo("orderhub");
        assertThat(e.path("type").asText()).isEqualTo(ORDER_UPDATES);
        assertThat(e.path("specversion").asText()).isEqualTo("1.0");
        assertThat(OrderDocumentValidator.isRfc3339DateTime(e.path("time").asText()))
                .as("time %s is RFC 3339", e.path("time"))
                .isTrue();
        assertThat(e.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.path("dataencoding").asText()).isEqualTo("base64");
        assertThat(e.path("subject").asText()).isEqualTo("S1/" + id);
        assertThat(e.path("meta").path("tenantId").asText()).isEqualTo(tenant);
        assertThat(e.path("meta").path("origin").asText()).isEqualTo("OMS");

        JsonNode payload = d.payload();
        assertThat(validator.validate(payload))
                .as("v2 violations of %s", payload)
                .isEmpty();
        assertThat(payload).as("the delivered order").isEqualTo(readOrder("S1", id));

        JsonNode entry =
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(d.eventId()));
        assertThat(entry.path("deliveryId").asText()).isNotBlank();
        assertThat(entry.path("eventType").asText()).isEqualTo(ORDER_UPDATES);
        assertThat(entry.path("customerOrderId").asText()).isEqualTo(id);
        assertThat(entry.path("attempts").asInt()).as("attempts of %s", entry).isEqualTo(1);
        assertThat(entry.path("lastStatusCode").asInt())
                .as("lastStatusCode of %s", entry)
                .isEqualTo(204);
        for (String time : List.of("createdAt", "lastAttemptAt", "deliveredAt")) {
            assertThat(OrderDocumentValidator.isRfc3339DateTime(entry.path(time).asText()))
                    .as("%s of %s is RFC 3339", time, entry)
                    .isTrue();
        }
    }

    @Test
    void storeOperationIsDeliveredWithOriginStore() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        String key = "plain-shared-key-" + UUID.randomUUID();
        ObjectNode sub = subscription(receiver.url(path), ORDER_UPDATES).put("sharedKey", key);
        sub.putObject("auth").put("type", "bearer").put("token", "tok-" + wh);
        assertThat(created(wh, sub)).as("a given key is not echoed").isEqualTo(MASK);
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        awaitCart("S1", id, "v1");

        Hub.Answer ready = storeOp(id, "ready-for-pickup", "pos-ready-" + id);
        assertThat(ready.status()).as("ready-for-pickup: %s", ready).isEqualTo(200);

        Request d = receiver.awaitAcknowledged(
                path,
                WAIT,
                "the store's update of " + id,
                r -> r.subject().equals("S1/" + id) && r.origin().equals("STORE"));
        assertThat(d.payload().at("/customerOrder/fulfillments/0/status/status").asText())
                .isEqualTo("READY_FOR_PICKUP");
        assertThat(d.payload()).as("the delivered order, as the store's answer").isEqualTo(ready.json());
        assertThat(validator.validate(d.payload())).isEmpty();
        assertThat(d.envelope().path("meta").path("tenantId").asText()).isEqualTo(tenant);
        assertThat(d.header("Correlation-Id")).isEqualTo("pos-ready-" + id);
        assertThat(d.header("Authorization")).isEqualTo("Bearer tok-" + wh);
        assertThat(WebhookReceiver.hiiSignatureValid(d, key))
                .as("X-Hii-Signature with the UTF-8 bytes of a plain key: %s", d)
                .isTrue();
        assertThat(WebhookReceiver.standardSignatureValid(d, key))
                .as("webhook-signature with the UTF-8 bytes of a plain key: %s", d)
                .isTrue();
        assertThat(receiver.acknowledged(path).stream()
                        .filter(r -> r.subject().equals("S1/" + id))
                        .map(Request::origin))
                .as("origins of the updates of %s, in order", id)
                .containsExactly("OMS", "STORE");
    }

    @Test
    void aChangedSubscriptionIsUsedFromTheNextDeliveryOn() {
        // the dispatcher keeps decrypted subscriptions in memory; a change must reach the very next delivery
        String wh = Hub.uniqueId("wh");
        String oldKey = "old-key-" + UUID.randomUUID();
        ObjectNode sub = subscription(receiver.url("/" + wh), ORDER_UPDATES).put("sharedKey", oldKey);
        sub.putObject("auth").put("type", "bearer").put("token", "old-" + wh);
        created(wh, sub);
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        Request first = awaitCartDelivered("/" + wh, id, "v1");
        assertThat(first.header("Authorization")).isEqualTo("Bearer old-" + wh);

        String newKey = "new-key-" + UUID.randomUUID();
        ObjectNode moved =
                subscription(receiver.url("/" + wh + "/moved"), ORDER_UPDATES).put("sharedKey", newKey);
        moved.putObject("auth").put("type", "bearer").put("token", "new-" + wh);
        assertThat(putWebhook(wh, moved).status()).isEqualTo(200);
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:01"), "v2"), null);

        Request second = awaitCartDelivered("/" + wh + "/moved", id, "v2");
        assertThat(second.header("Authorization")).isEqualTo("Bearer new-" + wh);
        assertThat(WebhookReceiver.standardSignatureValid(second, newKey))
                .as("signed with the new key: %s", second)
                .isTrue();
        assertThat(WebhookReceiver.standardSignatureValid(second, oldKey))
                .as("not with the old one")
                .isFalse();
        assertThat(receiver.requests("/" + wh))
                .as("nothing more at the old address")
                .hasSize(1);
    }

    @Test
    void conflictAnswerIsDeliveredWithOriginHubEvenWhereOmsEchoesAreSkipped() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        ObjectNode sub = subscription(receiver.url(path), ORDER_UPDATES);
        // an OMS's own subscription, skipping the echo of its updates
        sub.putArray("origins").add("STORE").add("HUB");
        created(wh, sub);
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        awaitCart("S1", id, "v1");
        assertThat(storeOp(id, "deliver", null).status()).isEqualTo(200);

        // the OMS, unaware of the handout, cancels: refused, and the true state is published back
        ObjectNode cancel = OrderDocs.order(id, "S1", "CANCELLED", at("10:01"), "v2");
        ObjectNode f1 = (ObjectNode) cancel.at("/customerOrder/fulfillments/0");
        ((ObjectNode) f1.get("status")).put("status", "CANCELLED");
        f1.get("lineItems").forEach(line -> ((ObjectNode) line.get("status")).put("status", "CANCELLED"));
        omsPut(cancel, "oms-cancel-" + id);

        Request hubUpdate =
                receiver.awaitAcknowledged(path, WAIT, "the hub's answer to the conflict on " + id, r -> r.origin()
                        .equals("HUB"));
        assertThat(hubUpdate.subject()).isEqualTo("S1/" + id);
        assertThat(hubUpdate.header("Correlation-Id")).isEqualTo("oms-cancel-" + id);
        assertThat(hubUpdate.payload()).as("the true state").isEqualTo(readOrder("S1", id));
        assertThat(hubUpdate
                        .payload()
                        .at("/customerOrder/fulfillments/0/status/status")
                        .asText())
                .isEqualTo("FULFILLED");
        assertThat(receiver.acknowledged(path).stream().map(Request::origin))
                .as("origins delivered to a STORE+HUB subscription")
                .containsExactly("STORE", "HUB");
    }

    @Test
    void originsAndEventTypesLimitWhatASubscriptionReceives() {
        String all = Hub.uniqueId("wh");
        String storeOnly = Hub.uniqueId("wh");
        String txrOnly = Hub.uniqueId("wh");
        created(all, subscription(receiver.url("/" + all), ORDER_UPDATES));
        ObjectNode storeSub = subscription(receiver.url("/" + storeOnly), ORDER_UPDATES);
        storeSub.putArray("origins").add("STORE");
        created(storeOnly, storeSub);
        created(txrOnly, subscription(receiver.url("/" + txrOnly), TRANSACTIONS));
        String id = Hub.uniqueId("O");

        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        receiver.awaitAcknowledged(
                "/" + all, WAIT, "the OMS update", r -> r.origin().equals("OMS"));
        assertThat(storeOp(id, "ready-for-pickup", null).status()).isEqualTo(200);
        Request store = receiver.awaitAcknowledged(
                "/" + storeOnly, WAIT, "the store update", r -> r.subject().equals("S1/" + id));
        receiver.awaitAcknowledged(
                "/" + all, WAIT, "the store update", r -> r.origin().equals("STORE"));

        assertThat(store.origin()).isEqualTo("STORE");
        assertThat(receiver.requests("/" + storeOnly))
                .as("a STORE-only subscription never hears of the OMS update")
                .hasSize(1);
        assertThat(receiver.requests("/" + txrOnly))
                .as("a txr-only subscription hears of no order update")
                .isEmpty();
        assertThat(receiver.acknowledged("/" + all).stream().map(Request::origin))
                .containsExactly("OMS", "STORE");
    }

    @Test
    void businessUnitsLimitASubscriptionToOrdersVisibleThere() {
        String all = Hub.uniqueId("wh");
        String s2 = Hub.uniqueId("wh");
        created(all, subscription(receiver.url("/" + all), ORDER_UPDATES));
        ObjectNode s2Sub = subscription(receiver.url("/" + s2), ORDER_UPDATES);
        s2Sub.putArray("businessUnits").add("S2");
        created(s2, s2Sub);

        String onlyS1 = Hub.uniqueId("O");
        omsPut(OrderDocs.order(onlyS1, "S1", "CREATED", at("10:00"), "v1"), null);
        receiver.awaitAcknowledged(
                "/" + all, WAIT, "the S1-only order", r -> r.subject().equals("S1/" + onlyS1));

        String pickupAtS2 = Hub.uniqueId("O");
        ObjectNode withS2 = OrderDocs.order(pickupAtS2, "S1", "CREATED", at("10:00"), "v1");
        OrderDocs.addFulfillment(withS2, "F2", "PICKUP_IN_STORE", "S2", "CREATED", null, null, null);
        omsPut(withS2, null);
        String placedAtS2 = Hub.uniqueId("O");
        omsPut(OrderDocs.order(placedAtS2, "S2", "CREATED", at("10:00"), "v1"), null);
        Hub.Answer storeCreated = hub.send(
                "POST",
                "/api/v1/business-units/S1/customer-orders",
                s1,
                storeToStorePickup("to-S2").toString());
        assertThat(storeCreated.status())
                .as("store-created order: %s", storeCreated)
                .isEqualTo(201);
        String createdId =
                storeCreated.json().at("/customerOrder/customerOrderId").asText();

        Request fromStore = receiver.awaitAcknowledged(
                "/" + s2, WAIT, "the store-created order", r -> r.subject().equals("S1/" + createdId));
        receiver.awaitAcknowledged("/" + s2, WAIT, "the order with a pickup at S2", r -> r.subject()
                .equals("S1/" + pickupAtS2));
        receiver.awaitAcknowledged(
                "/" + s2, WAIT, "the order placed at S2", r -> r.subject().equals("S2/" + placedAtS2));

        assertThat(fromStore.origin()).isEqualTo("STORE");
        assertThat(fromStore.payload()).isEqualTo(storeCreated.json());
        assertThat(receiver.requests("/" + s2).stream().map(Request::subject))
                .as("orders delivered to an S2 subscription")
                .containsExactlyInAnyOrder("S1/" + pickupAtS2, "S2/" + placedAtS2, "S1/" + createdId);
    }

    @Test
    void aSubscriptionReceivesOnlyWhatHappensWhileItExists() {
        String control = Hub.uniqueId("wh");
        created(control, subscription(receiver.url("/" + control), ORDER_UPDATES));
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        awaitCartDelivered("/" + control, id, "v1");

        String late = Hub.uniqueId("wh");
        created(late, subscription(receiver.url("/" + late), ORDER_UPDATES));
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:01"), "v2"), null);
        awaitCartDelivered("/" + late, id, "v2");
        awaitCartDelivered("/" + control, id, "v2");
        assertThat(receiver.requests("/" + late).stream().map(WebhooksTest::cart))
                .as("a new subscription gets no backfill")
                .containsExactly("v2");

        assertThat(hub.send("DELETE", "/api/v1/webhooks/" + late, admin, null).status())
                .isEqualTo(204);
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:02"), "v3"), null);
        awaitCartDelivered("/" + control, id, "v3");
        assertThat(receiver.requests("/" + late).stream().map(WebhooksTest::cart))
                .as("a deleted subscription gets nothing more")
                .containsExactly("v2");
    }

    @Test
    void pingDeliversASignedTestEvent() {
        String wh = Hub.uniqueId("wh");
        String key = created(wh, subscription(receiver.url("/" + wh), ORDER_UPDATES));

        Request d = ping(wh, "/" + wh);

        assertThat(d.type()).isEqualTo("exe.events.v1");
        assertThat(d.envelope().path("source").asText()).isEqualTo("orderhub");
        assertThat(d.envelope().path("specversion").asText()).isEqualTo("1.0");
        assertThat(d.envelope().path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(d.envelope().path("meta").path("tenantId").asText()).isEqualTo(tenant);
        assertThat(d.payload()).isEqualTo(Hub.JSON.createObjectNode().put("message", "ping"));
        assertThat(WebhookReceiver.hiiSignatureValid(d, key)).as("%s", d).isTrue();
        assertThat(WebhookReceiver.standardSignatureValid(d, key)).as("%s", d).isTrue();
        assertThat(hub.send("POST", "/api/v1/webhooks/" + Hub.uniqueId("wh") + ":ping", admin, null)
                        .status())
                .as("ping of an unknown subscription")
                .isEqualTo(404);
    }

    // ---------------------------------------------------------------- retries and failures

    @Test
    void serverErrorsAreRetriedWithTheSameEventIdUntilDelivered() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        String key = created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        receiver.enqueue(path, Response.status(500), Response.status(503), Response.status(200));
        String id = Hub.uniqueId("O");

        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        Request ok = receiver.awaitAcknowledged(path, WAIT, "the update after two 5xx", r -> true);

        List<Request> attempts = receiver.requests(path);
        assertThat(attempts).extracting(r -> r.answer().status()).containsExactly(500, 503, 200);
        assertThat(attempts).extracting(Request::eventId).containsOnly(ok.eventId());
        assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(ok.eventId());
        assertThat(attempts).allSatisfy(r -> assertThat(WebhookReceiver.standardSignatureValid(r, key))
                .as("signature of attempt %s", r)
                .isTrue());
        assertThat(millisBetween(attempts.get(0), attempts.get(1)))
                .as("a retry waits for the schedule's first step (200 ms)")
                .isGreaterThanOrEqualTo(150);
        JsonNode entry =
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(ok.eventId()));
        assertThat(entry.path("attempts").asInt()).as("attempts of %s", entry).isEqualTo(3);
        assertThat(entry.path("lastStatusCode").asInt())
                .as("lastStatusCode of %s", entry)
                .isEqualTo(200);
    }

    @Test
    void clientErrorFailsAtOnceWithoutRetryAndAlerts() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        receiver.answerByDefault(path, Response.status(400));
        String id = Hub.uniqueId("O");

        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        JsonNode entry = awaitDelivery(
                wh, "FAILED", j -> j.path("customerOrderId").asText().equals(id));
        Hub.await(WAIT, "a WEBHOOK_FAILED alert for " + tenant, () -> !webhookFailedAlerts()
                .isEmpty());
        // longer than the schedule's first step: a retry, were there one, would have come by now
        sleep(800);

        assertThat(entry.path("attempts").asInt()).as("attempts of %s", entry).isEqualTo(1);
        assertThat(entry.path("lastStatusCode").asInt())
                .as("lastStatusCode of %s", entry)
                .isEqualTo(400);
        assertThat(receiver.requests(path)).as("requests after a 400").hasSize(1);
        assertThat(webhookFailedAlerts())
                .as("alerts for the one failed delivery")
                .hasSize(1);
        assertThat(webhookFailedAlerts().get(0).toString())
                .as("an alert carries no customer data")
                .doesNotContain("Alex Example");
    }

    @Test
    void tooManyRequestsIsRetriedNoSoonerThanRetryAfter() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        receiver.enqueue(path, Response.status(429).retryAfter(1));

        omsPut(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", at("10:00"), "v1"), null);
        Request ok = receiver.awaitAcknowledged(path, WAIT, "the update after a 429", r -> true);

        List<Request> attempts = receiver.requests(path);
        assertThat(attempts).extracting(r -> r.answer().status()).containsExactly(429, 204);
        assertThat(attempts).extracting(Request::eventId).containsOnly(ok.eventId());
        assertThat(millisBetween(attempts.get(0), attempts.get(1)))
                .as("the retry honours Retry-After: 1 (the schedule alone would retry after 200 ms)")
                .isGreaterThanOrEqualTo(900);
        JsonNode entry =
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(ok.eventId()));
        assertThat(entry.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void slowReceiverTimesOutAndIsRetried() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        // answers after 2 s: the hub gives up after its 1 s timeout
        receiver.enqueue(path, Response.status(204).delayed(2000));

        omsPut(OrderDocs.order(Hub.uniqueId("O"), "S1", "CREATED", at("10:00"), "v1"), null);
        Request ok = receiver.awaitAcknowledged(path, WAIT, "the update after a timeout", r -> true);

        List<Request> attempts = receiver.requests(path);
        assertThat(attempts.size()).as("attempts: %s", attempts).isGreaterThanOrEqualTo(2);
        assertThat(attempts.get(0).acknowledged()).isFalse();
        assertThat(attempts).extracting(Request::eventId).containsOnly(ok.eventId());
        assertThat(millisBetween(attempts.get(0), attempts.get(1)))
                .as("the retry comes after the timeout")
                .isGreaterThanOrEqualTo(900);
        JsonNode entry =
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(ok.eventId()));
        assertThat(entry.path("attempts").asInt()).as("attempts of %s", entry).isGreaterThanOrEqualTo(2);
    }

    @Test
    void retriesRunOutIntoFailedWithAnAlert() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        receiver.answerByDefault(path, Response.status(502));
        String id = Hub.uniqueId("O");

        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        JsonNode entry = awaitDelivery(
                wh, "FAILED", j -> j.path("customerOrderId").asText().equals(id));
        Hub.await(WAIT, "a WEBHOOK_FAILED alert for " + tenant, () -> !webhookFailedAlerts()
                .isEmpty());

        assertThat(entry.path("attempts").asInt())
                .as("attempts of %s (1 + 3 retries)", entry)
                .isEqualTo(4);
        assertThat(entry.path("lastStatusCode").asInt()).isEqualTo(502);
        assertThat(receiver.requests(path)).hasSize(4);
        assertThat(receiver.requests(path))
                .extracting(Request::eventId)
                .containsOnly(entry.path("eventId").asText());
    }

    // ---------------------------------------------------------------- order and isolation

    @Test
    void updatesOfAnOrderArriveInOrderWhileItsFirstIsRetriedAndOtherOrdersGoAhead() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        String a = Hub.uniqueId("O");
        String b = Hub.uniqueId("O");
        // A's first update fails twice, each failure answered slowly, so it is retried for about 1.5 s
        receiver.enqueueFor(
                path,
                "S1/" + a,
                Response.status(500).delayed(500),
                Response.status(503).delayed(500));

        omsPut(OrderDocs.order(a, "S1", "CREATED", at("10:00"), "v1"), null);
        Hub.await(WAIT, "the first attempt of A's v1", () -> !receiver.requests(path, "S1/" + a)
                .isEmpty());
        omsPut(OrderDocs.order(a, "S1", "CREATED", at("10:01"), "v2"), null);
        omsPut(OrderDocs.order(a, "S1", "CREATED", at("10:02"), "v3"), null);
        omsPut(OrderDocs.order(b, "S1", "CREATED", at("10:00"), "b1"), null);

        Hub.await(
                WAIT,
                "three updates of A delivered",
                () -> acknowledged(path, a).size() >= 3);
        Request bDelivered = receiver.awaitAcknowledged(
                path, WAIT, "B's update", r -> r.subject().equals("S1/" + b));

        List<Request> aDelivered = acknowledged(path, a);
        assertThat(aDelivered)
                .extracting(WebhooksTest::cart)
                .as("A's updates as delivered")
                .containsExactly("v1", "v2", "v3");
        Request aFirst = aDelivered.get(0);
        List<Request> aAttempts = receiver.requests(path, "S1/" + a);
        assertThat(aAttempts.subList(0, 3))
                .as("A's v1: two failures, then success, one event id")
                .extracting(Request::eventId)
                .containsOnly(aFirst.eventId());
        assertThat(bDelivered.receivedNanos())
                .as("B's update arrives while A's first update is still being retried")
                .isLessThan(aFirst.receivedNanos());

        // the check means something only if v2 and v3 were published while v1 was still being retried
        Instant v1Delivered = time(
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(aFirst.eventId()))
                        .path("deliveredAt"));
        Instant v3Created = time(awaitDelivery(wh, "DELIVERED", j -> j.path("eventId")
                        .asText()
                        .equals(aDelivered.get(2).eventId()))
                .path("createdAt"));
        assertThat(v3Created).as("v3 published before v1 was delivered").isBefore(v1Delivered);
    }

    @Test
    void aDeadOrHangingSubscriberDoesNotSlowAHealthyOne() {
        String dead = Hub.uniqueId("wh");
        String hanging = Hub.uniqueId("wh");
        String healthy = Hub.uniqueId("wh");
        created(dead, subscription("http://127.0.0.1:" + freePort() + "/dead", ORDER_UPDATES));
        created(hanging, subscription(receiver.url("/" + hanging), ORDER_UPDATES));
        receiver.answerByDefault("/" + hanging, Response.status(204).delayed(3000));
        created(healthy, subscription(receiver.url("/" + healthy), ORDER_UPDATES));

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = Hub.uniqueId("O");
            long sent = System.nanoTime();
            omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
            Request d = receiver.awaitAcknowledged(
                    "/" + healthy, WAIT, "update " + i, r -> r.subject().equals("S1/" + id));
            latencies.add((d.receivedNanos() - sent) / 1_000_000);
        }

        assertThat(latencies.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("slowest delivery to the healthy subscriber, in ms, of %s", latencies)
                .isLessThan(3000);
        assertThat(receiver.requests("/" + hanging))
                .as("the hanging subscriber was tried")
                .isNotEmpty();
        assertThat(journal(dead, "take=100").path("page").path("total").asInt())
                .as("deliveries journaled for the dead subscriber")
                .isEqualTo(6);
    }

    // ---------------------------------------------------------------- journal and replay

    @Test
    void journalListsDeliveriesNewestFirstByStatusAndPage() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Hub.uniqueId("O");
            ids.add(id);
            omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
            awaitDelivery(
                    wh, "DELIVERED", j -> j.path("customerOrderId").asText().equals(id));
        }

        JsonNode first = journal(wh, "status=DELIVERED&skip=0&take=2");
        assertThat(first.path("deliveries"))
                .extracting(j -> j.path("customerOrderId").asText())
                .as("first page, newest first")
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(first.path("page").path("skip").asInt()).isZero();
        assertThat(first.path("page").path("take").asInt()).isEqualTo(2);
        assertThat(first.path("page").path("total").asInt()).isEqualTo(3);
        assertThat(first.path("page").path("hasMore").asBoolean()).isTrue();
        JsonNode second = journal(wh, "status=DELIVERED&skip=2&take=2");
        assertThat(second.path("deliveries"))
                .extracting(j -> j.path("customerOrderId").asText())
                .containsExactly(ids.get(0));
        assertThat(second.path("page").path("hasMore").asBoolean()).isFalse();
        assertThat(journal(wh, "status=FAILED").path("deliveries")).isEmpty();
        assertThat(journal(wh, "status=FAILED").path("page").path("total").asInt())
                .isZero();
        assertThat(journal(wh, "status=PENDING").path("deliveries")).isEmpty();
    }

    @Test
    void replayOfADeliveredDeliverySendsTheSameEventAgain() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        String key = created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        Request original = receiver.awaitAcknowledged(path, WAIT, "the update", r -> true);
        JsonNode entry =
                awaitDelivery(wh, "DELIVERED", j -> j.path("eventId").asText().equals(original.eventId()));

        Hub.Answer replay = replay(wh, entry.path("deliveryId").asText(), null);

        assertThat(replay.status()).as("replay: %s", replay).isEqualTo(202);
        assertThat(replay.json().path("deliveryId").asText())
                .isEqualTo(entry.path("deliveryId").asText());
        assertThat(replay.json().path("status").asText()).isEqualTo("PENDING");
        Hub.await(WAIT, "the replayed event", () -> receiver.acknowledged(path).size() == 2);
        Request again = receiver.acknowledged(path).get(1);
        assertThat(again.eventId()).as("event id of the replay").isEqualTo(original.eventId());
        assertThat(again.header("webhook-id")).isEqualTo(original.eventId());
        assertThat(again.payload()).isEqualTo(original.payload());
        assertThat(WebhookReceiver.standardSignatureValid(again, key)).isTrue();
        assertThat(WebhookReceiver.hiiSignatureValid(again, key)).isTrue();
        // the replay is the same journal entry, DELIVERED again
        String deliveryId = entry.path("deliveryId").asText();
        awaitDelivery(wh, "DELIVERED", j -> j.path("deliveryId").asText().equals(deliveryId));
        assertThat(journal(wh, "take=100").path("page").path("total").asInt())
                .as("journal entries after a replay")
                .isEqualTo(1);
    }

    @Test
    void replayOfAnUpdateSupersededByANewerDeliveredOneNeedsForce() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        Request v1 = awaitCartDelivered(path, id, "v1");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:01"), "v2"), null);
        Request v2 = awaitCartDelivered(path, id, "v2");
        String v1Delivery = awaitDelivery(
                        wh, "DELIVERED", j -> j.path("eventId").asText().equals(v1.eventId()))
                .path("deliveryId")
                .asText();
        String v2Delivery = awaitDelivery(
                        wh, "DELIVERED", j -> j.path("eventId").asText().equals(v2.eventId()))
                .path("deliveryId")
                .asText();

        Hub.Answer refused = replay(wh, v1Delivery, null);
        assertProblem(refused, 409, null, "replay of a superseded delivery");
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:orderhub:problem:superseded");

        Hub.Answer newest = replay(wh, v2Delivery, null);
        assertThat(newest.status())
                .as("replay of the newest update: %s", newest)
                .isEqualTo(202);
        Hub.await(WAIT, "v2 again", () -> receiver.acknowledged(path).size() == 3);

        Hub.Answer forced = replay(wh, v1Delivery, "{\"force\": true}");
        assertThat(forced.status()).as("forced replay: %s", forced).isEqualTo(202);
        Hub.await(WAIT, "v1 again", () -> receiver.acknowledged(path).size() == 4);
        assertThat(receiver.acknowledged(path))
                .extracting(Request::eventId)
                .containsExactly(v1.eventId(), v2.eventId(), v2.eventId(), v1.eventId());
    }

    @Test
    void bulkReplayResendsFailedDeliveriesAndSkipsSupersededOnes() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        created(wh, subscription(receiver.url(path), ORDER_UPDATES));
        receiver.answerByDefault(path, Response.status(400));
        String a = Hub.uniqueId("O");
        String b = Hub.uniqueId("O");
        String c = Hub.uniqueId("O");
        for (String id : List.of(a, b, c)) {
            omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
            awaitDelivery(wh, "FAILED", j -> j.path("customerOrderId").asText().equals(id));
        }
        // the receiver is fixed; C's next update goes ahead of its failed one and supersedes it
        receiver.answerByDefault(path, Response.status(204));
        omsPut(OrderDocs.order(c, "S1", "CREATED", at("10:01"), "v2"), null);
        awaitCartDelivered(path, c, "v2");
        // the journal records a success with the dispatcher's next round, shortly after the receiver's answer
        awaitDelivery(wh, "DELIVERED", j -> j.path("customerOrderId").asText().equals(c));

        Hub.Answer none = hub.send(
                "POST",
                "/api/v1/webhooks/" + wh + "/deliveries:replay",
                admin,
                "{\"status\": \"FAILED\", \"since\": \"2999-01-01T00:00:00Z\"}");
        assertThat(none.status()).as("bulk replay since the future: %s", none).isEqualTo(202);
        assertThat(none.json().path("count").asInt()).isZero();

        Hub.Answer bulk =
                hub.send("POST", "/api/v1/webhooks/" + wh + "/deliveries:replay", admin, "{\"status\": \"FAILED\"}");

        assertThat(bulk.status()).as("bulk replay: %s", bulk).isEqualTo(202);
        assertThat(bulk.json().path("count").asInt())
                .as("replayed: A and B, not C's superseded v1")
                .isEqualTo(2);
        for (String id : List.of(a, b)) {
            String failedEvent = receiver.requests(path, "S1/" + id).get(0).eventId();
            Request again = receiver.awaitAcknowledged(
                    path, WAIT, "the replay of " + id, r -> r.subject().equals("S1/" + id));
            assertThat(again.eventId()).as("event id of the replay of %s", id).isEqualTo(failedEvent);
        }
        awaitDelivery(wh, "DELIVERED", j -> j.path("customerOrderId").asText().equals(a));
        awaitDelivery(wh, "DELIVERED", j -> j.path("customerOrderId").asText().equals(b));
        JsonNode failed = journal(wh, "status=FAILED");
        assertThat(failed.path("deliveries"))
                .extracting(j -> j.path("customerOrderId").asText())
                .as("still FAILED after the bulk replay")
                .containsExactly(c);
        assertThat(receiver.requests(path, "S1/" + c))
                .extracting(WebhooksTest::cart)
                .as("C's superseded v1 is not sent again")
                .containsExactly("v1", "v2");
    }

    @Test
    void aDisabledSubscriptionKeepsItsUpdatesPendingAndDeliversThemInOrderWhenEnabled() {
        String wh = Hub.uniqueId("wh");
        String path = "/" + wh;
        ObjectNode sub = subscription(receiver.url(path), ORDER_UPDATES).put("enabled", false);
        created(wh, sub);
        String id = Hub.uniqueId("O");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:00"), "v1"), null);
        awaitCart("S1", id, "v1");
        omsPut(OrderDocs.order(id, "S1", "CREATED", at("10:01"), "v2"), null);
        awaitCart("S1", id, "v2");
        Hub.await(
                WAIT,
                "two PENDING deliveries",
                () -> journal(wh, "status=PENDING").path("page").path("total").asInt() == 2);
        // several dispatcher ticks (50 ms): a disabled subscription, were it served, would have been by now
        sleep(500);
        assertThat(receiver.requests(path)).as("deliveries while disabled").isEmpty();

        Hub.Answer enabled = putWebhook(wh, sub.deepCopy().put("enabled", true));
        assertThat(enabled.status()).as("enable: %s", enabled).isEqualTo(200);

        Hub.await(
                WAIT,
                "both updates delivered",
                () -> receiver.acknowledged(path).size() >= 2);
        assertThat(receiver.acknowledged(path)).extracting(WebhooksTest::cart).containsExactly("v1", "v2");
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectNode subscription(String url, String... eventTypes) {
        ObjectNode body = Hub.JSON.createObjectNode().put("url", url);
        ArrayNode types = body.putArray("eventTypes");
        for (String type : eventTypes) {
            types.add(type);
        }
        return body;
    }

    private Hub.Answer putWebhook(String webhookId, JsonNode body) {
        return hub.send("PUT", "/api/v1/webhooks/" + webhookId, admin, body.toString());
    }

    /** Creates the subscription and returns the sharedKey of the answer (the generated one, or the mask). */
    private String created(String webhookId, ObjectNode body) {
        Hub.Answer a = putWebhook(webhookId, body);
        assertThat(a.status()).as("create subscription %s: %s", webhookId, a).isEqualTo(201);
        return a.json().path("sharedKey").asText();
    }

    private List<JsonNode> listed(String key) {
        Hub.Answer a = hub.send("GET", "/api/v1/webhooks", key, null);
        assertThat(a.status()).as("GET /api/v1/webhooks: %s", a).isEqualTo(200);
        return StreamSupport.stream(a.json().path("webhooks").spliterator(), false)
                .toList();
    }

    private Request ping(String webhookId, String path) {
        Hub.Answer a = hub.send("POST", "/api/v1/webhooks/" + webhookId + ":ping", admin, null);
        assertThat(a.status()).as("ping: %s", a).isEqualTo(202);
        String eventId = a.json().path("eventId").asText();
        assertThat(eventId).as("eventId of %s", a).isNotBlank();
        return receiver.awaitAcknowledged(
                path, WAIT, "the ping " + eventId, r -> r.eventId().equals(eventId));
    }

    private void omsPut(ObjectNode doc, String correlationId) {
        String id = doc.at("/customerOrder/customerOrderId").asText();
        String bu = doc.at("/customerOrder/businessUnitId").asText();
        Map<String, String> headers = correlationId == null ? Map.of() : Map.of("Correlation-Id", correlationId);
        Hub.Answer a = hub.send(
                "PUT", "/api/v1/business-units/" + bu + "/customer-orders/" + id, oms, doc.toString(), headers);
        assertThat(a.status()).as("PUT %s: %s", id, a).isEqualTo(202);
    }

    private Hub.Answer storeOp(String id, String verb, String correlationId) {
        Map<String, String> headers = correlationId == null ? Map.of() : Map.of("Correlation-Id", correlationId);
        return hub.send(
                "POST",
                "/api/v1/business-units/S1/customer-orders/" + id + "/fulfillments/F1:" + verb,
                s1,
                null,
                headers);
    }

    private JsonNode readOrder(String bu, String id) {
        Hub.Answer a = hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id, oms, null);
        assertThat(a.status()).as("GET order %s: %s", id, a).isEqualTo(200);
        return a.json();
    }

    private void awaitCart(String bu, String id, String cartName) {
        Hub.await(WAIT, "order " + id + " stored as " + cartName, () -> {
            Hub.Answer a = hub.send("GET", "/api/v1/business-units/" + bu + "/customer-orders/" + id, oms, null);
            return a.status() == 200
                    && cartName.equals(a.json().at("/customerOrder/cartName").asText());
        });
    }

    private Request awaitCartDelivered(String path, String id, String cartName) {
        return receiver.awaitAcknowledged(
                path, WAIT, cartName + " of " + id, r -> r.subject().equals("S1/" + id) && cart(r).equals(cartName));
    }

    private List<Request> acknowledged(String path, String id) {
        return receiver.acknowledged(path).stream()
                .filter(r -> r.subject().equals("S1/" + id))
                .toList();
    }

    private static String cart(Request r) {
        return r.payload().at("/customerOrder/cartName").asText();
    }

    private JsonNode journal(String webhookId, String query) {
        Hub.Answer a = hub.send("GET", "/api/v1/webhooks/" + webhookId + "/deliveries?" + query, admin, null);
        assertThat(a.status()).as("journal of %s: %s", webhookId, a).isEqualTo(200);
        return a.json();
    }

    /** Waits for a journal entry of {@code status} matching {@code which}, and returns it. */
    private JsonNode awaitDelivery(String webhookId, String status, Predicate<JsonNode> which) {
        JsonNode[] found = new JsonNode[1];
        Hub.await(WAIT, "a " + status + " delivery of " + webhookId, () -> {
            for (JsonNode j :
                    journal(webhookId, "status=" + status + "&take=100").path("deliveries")) {
                if (which.test(j)) {
                    found[0] = j;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private Hub.Answer replay(String webhookId, String deliveryId, String body) {
        return hub.send("POST", "/api/v1/webhooks/" + webhookId + "/deliveries/" + deliveryId + ":replay", admin, body);
    }

    private List<JsonNode> webhookFailedAlerts() {
        return AlertReceiver.received().stream()
                .filter(a -> "WEBHOOK_FAILED".equals(a.path("kind").asText())
                        && tenant.equals(a.path("tenantId").asText()))
                .toList();
    }

    private static Object[] bad(String what, JsonNode body, String pointer) {
        return new Object[] {what, body, pointer};
    }

    private static void assertProblem(Hub.Answer a, int status, String pointer, String what) {
        assertThat(a.status()).as("%s: expected %d, got %s", what, status, a).isEqualTo(status);
        assertThat(a.header("Content-Type"))
                .as("%s: Content-Type of %s", what, a)
                .startsWith(PROBLEM_JSON);
        if (pointer != null) {
            assertThat(a.json().path("errors").findValuesAsText("pointer"))
                    .as("%s: pointers of %s", what, a)
                    .contains(pointer);
        }
    }

    private static void assertForbidden(Hub.Answer a, String who) {
        assertThat(a.status()).as("%s: expected 403, got %s", who, a).isEqualTo(403);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static boolean isNullOrAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static long millisBetween(Request first, Request second) {
        return (second.receivedNanos() - first.receivedNanos()) / 1_000_000;
    }

    private static Instant time(JsonNode text) {
        return OffsetDateTime.parse(text.asText()).toInstant();
    }

    private static String at(String hourMinute) {
        return "2026-03-01T" + hourMinute + ":00Z";
    }

    /** A store-to-store pickup as a POS posts it: placed at S1, picked up at S2. */
    private static ObjectNode storeToStorePickup(String cartName) {
        ObjectNode root = OrderDocs.order("unused", "S1", "CREATED", at("10:00"), cartName);
        ObjectNode order = (ObjectNode) root.get("customerOrder");
        order.remove("customerOrderId");
        order.remove("status");
        order.remove("businessUnitId");
        ((ObjectNode) order.at("/fulfillments/0")).put("fulfillmentBusinessUnitId", "S2");
        return root;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
