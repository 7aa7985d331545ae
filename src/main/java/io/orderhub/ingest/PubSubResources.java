package io.orderhub.ingest;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.util.Durations;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.TopicName;
import io.orderhub.HubProperties;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The topics and subscriptions of the Pub/Sub bus, made sure of before anything is published or consumed: created
 * when {@code hub.pubsub.create-resources} is on (message ordering, the dead-letter policy, the ack deadline and the
 * retry backoff on the subscription), otherwise only checked, and a missing one stops the start naming it. While
 * Pub/Sub cannot be reached at start (a compose stack starting together), the check is tried again for
 * {@code hub.pubsub.startup-timeout}.
 */
@Component
@ConditionalOnProperty(name = "hub.bus", havingValue = "pubsub")
public class PubSubResources {

    private static final Logger log = LoggerFactory.getLogger(PubSubResources.class);

    /** Each admin call is bounded, so an unreachable Pub/Sub cannot hold up the start for ever. */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(5);

    private final TopicAdminClient topics;
    private final SubscriptionAdminClient subscriptions;
    private final HubProperties.PubSub settings;
    private final int maxDeliveryAttempts;

    public PubSubResources(TopicAdminClient topics, SubscriptionAdminClient subscriptions, HubProperties hub) {
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.settings = hub.pubsub();
        this.maxDeliveryAttempts = maxDeliveryAttempts(hub);
        ensureAll();
    }

    /**
     * Pub/Sub's dead-letter policy is the backstop for messages that crash the consumer, so it must allow more attempts
     * than the hub's own retries of a transient failure (after which the consumer dead-letters the event itself): at
     * least 5 (Pub/Sub's minimum), at most 100 (its maximum).
     */
    static int maxDeliveryAttempts(HubProperties hub) {
        int atLeast = Math.max(5, hub.events().retry().size() + 2);
        return Math.min(100, Math.max(atLeast, hub.pubsub().maxDeliveryAttempts()));
    }

    public TopicName topic() {
        return TopicName.of(settings.project(), settings.topic());
    }

    private void ensureAll() {
        Instant giveUp = Instant.now().plus(settings.startupTimeout());
        while (true) {
            try {
                ensureTopic(topic());
                TopicName dlq = TopicName.of(settings.project(), settings.deadLetterTopic());
                ensureTopic(dlq);
                ensureSubscription(SubscriptionName.of(settings.project(), settings.subscription()), topic(), dlq);
                ensureSubscription(
                        SubscriptionName.of(settings.project(), settings.deadLetterSubscription()), dlq, null);
                return;
            } catch (ApiException e) {
                if (!e.isRetryable() || Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException(
                            "Pub/Sub is not usable for the hub's bus (" + where() + "): " + e.getMessage(), e);
                }
                log.warn("Pub/Sub not reachable yet ({}), trying again: {}", where(), e.getMessage());
                sleep(1000);
            }
        }
    }

    private void ensureTopic(TopicName name) {
        try {
            topics.getTopicCallable()
                    .call(GetTopicRequest.newBuilder().setTopic(name.toString()).build(), bounded());
        } catch (NotFoundException e) {
            if (!settings.createsResources()) {
                throw missing("topic " + name);
            }
            try {
                topics.createTopicCallable()
                        .call(Topic.newBuilder().setName(name.toString()).build(), bounded());
                log.info("Created Pub/Sub topic {}", name);
            } catch (AlreadyExistsException raced) {
                // another instance created it first
            }
        }
    }

    private void ensureSubscription(SubscriptionName name, TopicName topic, TopicName deadLetters) {
        try {
            Subscription existing = subscriptions
                    .getSubscriptionCallable()
                    .call(
                            GetSubscriptionRequest.newBuilder()
                                    .setSubscription(name.toString())
                                    .build(),
                            bounded());
            if (deadLetters != null
                    && (!existing.hasDeadLetterPolicy()
                            || existing.getDeadLetterPolicy().getMaxDeliveryAttempts() < maxDeliveryAttempts)) {
                // without the policy nothing moves a message the consumer keeps failing on, and Pub/Sub does not
                // even count delivery attempts
                throw new IllegalStateException("Pub/Sub subscription " + name
                        + " needs a dead-letter policy to " + deadLetters + " with at least " + maxDeliveryAttempts
                        + " delivery attempts (README \"Several instances on Pub/Sub\")");
            }
            if (deadLetters != null && !existing.getEnableMessageOrdering()) {
                // without ordering Pub/Sub may hand one order's events to two consumers at once, out of order
                throw new IllegalStateException("Pub/Sub subscription " + name
                        + " has message ordering off; the hub needs it on (ordering cannot be changed on an existing"
                        + " subscription: create a new one)");
            }
        } catch (NotFoundException e) {
            if (!settings.createsResources()) {
                throw missing("subscription " + name);
            }
            Subscription.Builder sub = Subscription.newBuilder()
                    .setName(name.toString())
                    .setTopic(topic.toString())
                    .setAckDeadlineSeconds((int) settings.ackDeadline().toSeconds())
                    .setEnableMessageOrdering(true)
                    .setRetryPolicy(RetryPolicy.newBuilder()
                            .setMinimumBackoff(Durations.fromMillis(
                                    settings.minRetryBackoff().toMillis()))
                            .setMaximumBackoff(Durations.fromMillis(
                                    settings.maxRetryBackoff().toMillis())));
            if (deadLetters != null) {
                sub.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                        .setDeadLetterTopic(deadLetters.toString())
                        .setMaxDeliveryAttempts(maxDeliveryAttempts));
            }
            try {
                subscriptions.createSubscriptionCallable().call(sub.build(), bounded());
                log.info("Created Pub/Sub subscription {} on {}", name, topic);
            } catch (AlreadyExistsException raced) {
                // another instance created it first
            }
        }
    }

    private IllegalStateException missing(String what) {
        return new IllegalStateException("Pub/Sub " + what + " does not exist (" + where()
                + "). Create it as the README's Pub/Sub section says, or set hub.pubsub.create-resources=true.");
    }

    private String where() {
        return settings.emulator()
                ? "emulator at " + settings.endpoint()
                : "Google Cloud project " + settings.project();
    }

    private static GrpcCallContext bounded() {
        return GrpcCallContext.createDefault().withTimeoutDuration(CALL_LIMIT);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Pub/Sub", e);
        }
    }
}
