package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.orderhub.support.AlertReceiver;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import io.orderhub.support.PubSubBus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What only the Pub/Sub bus has: messages that are not readable events, the dead-letter topic that Pub/Sub's
 * dead-letter policy fills, and Pub/Sub becoming unreachable while the hub runs. Runs in the build's pubsub-bus execution, on the
 * official emulator (behind a relay the test can cut).
 */
@HubTest
// the test that cuts the way to Pub/Sub runs last: every connection is dropped and made again, and the other tests
// should not depend on how soon each subscriber is back
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusFailuresOnPubSubTest {

    private static final String BU = "S1";

    @LocalServerPort
    int port;

    @Autowired
    Publisher publisher;

    @Autowired
    SubscriptionAdminClient subscriptions;

    @Autowired
    com.google.cloud.pubsub.v1.TopicAdminClient topics;

    @Autowired
    PubSubClients.Connection connection;

    @Autowired
    DataSource dataSource;

    @Autowired
    EventBus bus;

    @Autowired
    EventAging eventAging;

    Hub hub;
    String tenant;
    String key;

    @BeforeEach
    void setUp() {
        assertThat(PubSubBus.chosen()).as("this class runs on the Pub/Sub bus").isTrue();
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("pubsub");
        key = hub.newTenantKey(tenant, "[\"oms\", \"admin\"]", null);
    }

    @Test
    void messageTheConsumerCannotReadIsDeadLetteredAtOnceAndCanBeReplayed() throws Exception {
        String id = Hub.uniqueId("POISON");
        UUID eventId = UUID.randomUUID();
        // a message of a publisher that got one attribute wrong: no event can be read from it
        publisher.publish(poison(id, eventId)).get(10, TimeUnit.SECONDS);

        JsonNode letter = awaitDeadLetter(id);
        assertThat(letter.get("errorClass").asText()).isEqualTo("PERSISTENT");
        assertThat(letter.get("error").asText()).contains("attribute sequence is not valid");
        assertThat(letter.get("eventId").asText()).isEqualTo(eventId.toString());
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertReplayApplies(id, letter);
    }

    @Test
    void messageMovedToTheDeadLetterTopicLandsInTheDeadLetterStoreAndCanBeReplayed() throws Exception {
        String id = Hub.uniqueId("DLQ");
        UUID eventId = UUID.randomUUID();
        // what Pub/Sub's dead-letter policy does with a message that was never settled within its attempts: the
        // message, as it was, on the dead-letter topic (the emulator cannot be made to do it on an ordered
        // subscription without stopping that subscription for good; docs/decisions.md)
        Publisher toDeadLetters = Publisher.newBuilder(TopicName.of("order-hub-test", "order-events-dlq"))
                .setChannelProvider(connection.channels())
                .setCredentialsProvider(connection.credentials())
                .setEnableMessageOrdering(true)
                .build();
        try {
            PubsubMessage message = poison(id, eventId);
            toDeadLetters.publish(message).get(10, TimeUnit.SECONDS);
            // Pub/Sub delivers at least once: the same message again still makes one dead letter
            toDeadLetters.publish(message).get(10, TimeUnit.SECONDS);
        } finally {
            toDeadLetters.shutdown();
            toDeadLetters.awaitTermination(5, TimeUnit.SECONDS);
        }

        JsonNode letter = awaitDeadLetter(id);
        assertThat(letter.get("errorClass").asText()).isEqualTo("UNKNOWN");
        assertThat(letter.get("eventId").asText()).isEqualTo(eventId.toString());
        assertThat(letter.get("attempts").asInt()).isGreaterThanOrEqualTo(5);
        assertReplayApplies(id, letter);
    }

    @Test
    void theHubsDeadLetterPolicyMovesAMessageNobodySettlesIntoTheDeadLetterStore() throws Exception {
        // On a subscription with message ordering, as the hub's is, the emulator (0.8.20) stops the whole subscription
        // when a message runs out of attempts instead of moving it (docs/decisions.md "Pub/Sub bus"). The policy the
        // hub set up is therefore shown on a copy of the hub's subscription without ordering: the same dead-letter
        // topic, attempts, ack deadline and retry policy, on a topic of its own, and a consumer that never settles.
        Subscription hubs = subscriptions.getSubscription(SubscriptionName.of("order-hub-test", "order-events-hub"));
        assertThat(hubs.getEnableMessageOrdering()).isTrue();
        assertThat(hubs.getDeadLetterPolicy().getDeadLetterTopic())
                .isEqualTo(TopicName.of("order-hub-test", "order-events-dlq").toString());
        int attempts = hubs.getDeadLetterPolicy().getMaxDeliveryAttempts();
        assertThat(attempts).isGreaterThanOrEqualTo(5);

        String suffix = UUID.randomUUID().toString();
        TopicName sideTopic = TopicName.of("order-hub-test", "side-" + suffix);
        String side = SubscriptionName.of("order-hub-test", "side-" + suffix).toString();
        topics.createTopic(sideTopic);
        try {
            subscriptions.createSubscription(Subscription.newBuilder()
                    .setName(side)
                    .setTopic(sideTopic.toString())
                    .setAckDeadlineSeconds(hubs.getAckDeadlineSeconds())
                    .setRetryPolicy(hubs.getRetryPolicy())
                    .setDeadLetterPolicy(hubs.getDeadLetterPolicy())
                    .build());
            String id = Hub.uniqueId("POLICY");
            UUID eventId = UUID.randomUUID();
            Publisher toSide = Publisher.newBuilder(sideTopic)
                    .setChannelProvider(connection.channels())
                    .setCredentialsProvider(connection.credentials())
                    .build();
            try {
                toSide.publish(poison(id, eventId).toBuilder()
                                .clearOrderingKey()
                                .build())
                        .get(10, TimeUnit.SECONDS);
            } finally {
                toSide.shutdown();
                toSide.awaitTermination(5, TimeUnit.SECONDS);
            }

            // a consumer that takes the message and gives it back every time, until the policy moves it
            int[] deliveries = new int[1];
            Hub.await(Duration.ofSeconds(60), "the message moved off " + side, () -> {
                var pulled = subscriptions
                        .pullCallable()
                        .call(PullRequest.newBuilder()
                                .setSubscription(side)
                                .setMaxMessages(10)
                                .build())
                        .getReceivedMessagesList();
                for (ReceivedMessage m : pulled) {
                    deliveries[0]++;
                    subscriptions.modifyAckDeadline(side, java.util.List.of(m.getAckId()), 0);
                }
                return pulled.isEmpty() && deliveries[0] >= attempts;
            });
            assertThat(deliveries[0])
                    .as("deliveries before the policy moved it")
                    .isEqualTo(attempts);

            JsonNode letter = awaitDeadLetter(id);
            assertThat(letter.get("errorClass").asText()).isEqualTo("UNKNOWN");
            assertThat(letter.get("eventId").asText()).isEqualTo(eventId.toString());
            assertThat(letter.get("attempts").asInt()).isEqualTo(attempts);
            assertReplayApplies(id, letter);
        } finally {
            subscriptions.deleteSubscription(side);
            topics.deleteTopic(sideTopic);
        }
    }

    @Test
    void onlyTheAllowListedAttributesArePublishedAndTheOrdersKeyOrdersThem() {
        // a second subscription of the hub's topic, to see the messages as Pub/Sub holds them
        String audit = SubscriptionName.of("order-hub-test", "audit-" + UUID.randomUUID())
                .toString();
        subscriptions.createSubscription(Subscription.newBuilder()
                .setName(audit)
                .setTopic(TopicName.of("order-hub-test", "order-events").toString())
                .build());
        try {
            String id = Hub.uniqueId("ATTR");
            Hub.Answer put = hub.send(
                    "PUT",
                    "/api/v1/business-units/" + BU + "/customer-orders/" + id,
                    key,
                    OrderDocs.put(id, BU),
                    Map.of("Correlation-Id", "corr-attributes", "X-Internal-Secret", "s3cr3t-value"));
            assertThat(put.status()).isEqualTo(202);

            PubsubMessage[] seen = new PubsubMessage[1];
            Hub.await(Duration.ofSeconds(20), "the message on the audit subscription", () -> {
                for (ReceivedMessage m : subscriptions
                        .pullCallable()
                        .call(PullRequest.newBuilder()
                                .setSubscription(audit)
                                .setMaxMessages(10)
                                .build())
                        .getReceivedMessagesList()) {
                    if (id.equals(m.getMessage().getAttributesMap().get(PubSubMessages.ORDER))) {
                        seen[0] = m.getMessage();
                    }
                }
                return seen[0] != null;
            });
            assertThat(seen[0].getAttributesMap().keySet())
                    .containsExactlyInAnyOrder(
                            PubSubMessages.EVENT_ID,
                            PubSubMessages.SEQUENCE,
                            PubSubMessages.TENANT,
                            PubSubMessages.ORDER,
                            PubSubMessages.BUSINESS_UNIT,
                            PubSubMessages.ORIGIN,
                            PubSubMessages.SNAPSHOT_TIME,
                            PubSubMessages.EVENT_TIME_GIVEN,
                            PubSubMessages.RECEIVED_AT,
                            PubSubMessages.CORRELATION_ID);
            assertThat(seen[0].getAttributesMap()).containsEntry(PubSubMessages.CORRELATION_ID, "corr-attributes");
            assertThat(seen[0].getAttributesMap().values())
                    .as("nothing of the request's credentials or other headers")
                    .noneMatch(v -> v.contains(key) || v.contains("s3cr3t"));
            assertThat(seen[0].getOrderingKey()).isEqualTo(tenant + "/" + id);
            assertThat(seen[0].getAttributesMap().get(PubSubMessages.EVENT_ID))
                    .isEqualTo(put.json().get("eventId").asText());
        } finally {
            subscriptions.deleteSubscription(audit);
        }
    }

    @Test
    void aMessageHeldLongerThanTheAckDeadlineIsNotDeliveredAgainAndCountsAsPendingAndAging() throws Exception {
        String id = Hub.uniqueId("SLOW");
        // hold the order's apply lock for longer than the ack deadline (10 s here): the consumer waits on it
        try (Connection blocker = dataSource.getConnection()) {
            try (PreparedStatement lock =
                    blocker.prepareStatement("SELECT pg_advisory_lock(2, hashtext(? || '/' || ?))")) {
                lock.setString(1, tenant);
                lock.setString(2, id);
                lock.execute();
            }
            Hub.Answer put = put(id, 1);
            assertThat(put.status()).isEqualTo(202);
            String eventId = put.json().get("eventId").asText();
            Thread.sleep(15_000);
            // while it waits, the event is this instance's backlog, aged from its publish time
            EventBus.Backlog backlog = bus.backlog();
            assertThat(backlog.pending()).as("pending events").isGreaterThanOrEqualTo(1);
            assertThat(backlog.oldestAgeSeconds()).as("oldest age").isGreaterThanOrEqualTo(14);
            eventAging.checkOlderThan(Duration.ofSeconds(10));
            Hub.await(Duration.ofSeconds(10), "EVENT_AGING for " + eventId, () -> AlertReceiver.received().stream()
                    .anyMatch(a -> "EVENT_AGING".equals(a.path("kind").asText())
                            && eventId.equals(a.path("details").path("eventId").asText())
                            && tenant.equals(a.path("tenantId").asText())));
            try (PreparedStatement unlock =
                    blocker.prepareStatement("SELECT pg_advisory_unlock(2, hashtext(? || '/' || ?))")) {
                unlock.setString(1, tenant);
                unlock.setString(2, id);
                unlock.execute();
            }
        }
        awaitVersion(id, 1);
        // a redelivery would have waited on the same lock and then been recorded SKIPPED_DUPLICATE; give it the time
        Thread.sleep(3_000);
        JsonNode entries = hub.send(
                        "GET", "/api/v1/business-units/" + BU + "/customer-orders/" + id + "/history", key, null)
                .json()
                .get("entries");
        assertThat(entries.findValuesAsText("outcome"))
                .as("the consumer kept extending the deadline while it waited: one delivery, one outcome")
                .containsExactly("APPLIED");
    }

    private PubsubMessage poison(String id, UUID eventId) {
        return PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(OrderDocs.put(id, BU), StandardCharsets.UTF_8))
                .setOrderingKey(PubSubMessages.orderingKey(tenant, id))
                .putAttributes(PubSubMessages.EVENT_ID, eventId.toString())
                .putAttributes(PubSubMessages.SEQUENCE, "not-a-number")
                .putAttributes(PubSubMessages.TENANT, tenant)
                .putAttributes(PubSubMessages.ORDER, id)
                .putAttributes(PubSubMessages.BUSINESS_UNIT, BU)
                .putAttributes(PubSubMessages.ORIGIN, "OMS")
                .putAttributes(PubSubMessages.CORRELATION_ID, "corr-poison")
                .build();
    }

    private JsonNode awaitDeadLetter(String id) {
        JsonNode[] letter = new JsonNode[1];
        Hub.await(Duration.ofSeconds(30), "dead letter of " + id, () -> {
            JsonNode list = hub.send("GET", "/api/v1/dead-letters?customerOrderId=" + id, key, null)
                    .json()
                    .get("deadLetters");
            letter[0] = list.size() > 0 ? list.get(0) : null;
            return letter[0] != null;
        });
        assertThat(hub.send("GET", "/api/v1/business-units/" + BU + "/customer-orders/" + id, key, null)
                        .status())
                .as("nothing of the unreadable message applied")
                .isEqualTo(404);
        return letter[0];
    }

    private void assertReplayApplies(String id, JsonNode letter) {
        Hub.Answer replay =
                hub.send("POST", "/api/v1/dead-letters/" + letter.get("id").asText() + ":replay", key, null);
        assertThat(replay.status()).as("replay %s", replay).isEqualTo(200);
        assertThat(replay.json().get("outcome").asText()).isEqualTo("APPLIED");
        Hub.Answer order = hub.send("GET", "/api/v1/business-units/" + BU + "/customer-orders/" + id, key, null);
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.json().path("customerOrder").path("customerOrderId").asText())
                .isEqualTo(id);
        assertThat(hub.send("GET", "/api/v1/dead-letters?customerOrderId=" + id, key, null)
                        .json()
                        .get("deadLetters"))
                .as("one dead letter")
                .hasSize(1);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void unreachablePubSubAnswers503WithinTheAcceptTimeoutThenTheSameOrderGoesThroughAgain() {
        String id = Hub.uniqueId("CUT");
        assertThat(put(id, 1).status()).isEqualTo(202);
        awaitVersion(id, 1);

        PubSubBus.gate().cut();
        try {
            long start = System.nanoTime();
            Hub.Answer refused = put(id, 2);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(refused.status())
                    .as("PUT while Pub/Sub is unreachable: %s", refused)
                    .isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isNotBlank();
            // hub.events.accept-timeout is 5 s: answered when it ran out, not hung
            assertThat(took).as("time to the 503").isLessThan(Duration.ofSeconds(9));
            Hub.await(
                    Duration.ofSeconds(15),
                    "readiness down while Pub/Sub is unreachable",
                    () -> hub.send("GET", "/actuator/health/readiness", null, null)
                                    .status()
                            == 503);
        } finally {
            PubSubBus.gate().restore();
        }

        // the failed publish of this order's key does not hold back its later ones: once Pub/Sub answers again
        // (the client reconnects within seconds), the next snapshot of the same order is accepted and applied
        Hub.await(Duration.ofSeconds(60), "PUT accepted again", () -> put(id, 3).status() == 202);
        // a message handed out just as the connection broke is delivered again after the ack deadline (10 s here), and
        // the order's later messages wait for it: ordering holds across the outage
        awaitVersion(id, 3, Duration.ofSeconds(60));
        Hub.await(
                Duration.ofSeconds(15),
                "readiness up again",
                () -> hub.send("GET", "/actuator/health/readiness", null, null).status() == 200);
    }

    private Hub.Answer put(String id, int version) {
        String doc = OrderDocs.order(id, BU, "CREATED", String.format("2026-03-01T10:%02d:00Z", version), "v" + version)
                .toString();
        return hub.send("PUT", "/api/v1/business-units/" + BU + "/customer-orders/" + id, key, doc, Map.of());
    }

    private void awaitVersion(String id, int version) {
        awaitVersion(id, version, Duration.ofSeconds(30));
    }

    private void awaitVersion(String id, int version, Duration wait) {
        Hub.await(wait, id + " at v" + version, () -> {
            Hub.Answer a = hub.send("GET", "/api/v1/business-units/" + BU + "/customer-orders/" + id, key, null);
            return a.status() == 200
                    && ("v" + version)
                            .equals(a.json()
                                    .path("customerOrder")
                                    .path("cartName")
                                    .asText());
        });
    }
}
