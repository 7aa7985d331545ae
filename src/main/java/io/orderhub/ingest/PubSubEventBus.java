package io.orderhub.ingest;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.GetTopicRequest;
import io.orderhub.HubProperties;
import io.orderhub.ops.ProblemException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Pub/Sub bus: an accepted event is a Pub/Sub message whose publish Pub/Sub acknowledged before the 202, ordered
 * by the order's key. No database row is written at accept (unless the PUT has an Idempotency-Key); the event's
 * sequence comes from the database's event sequence, drawn together with the publish under a lock of the order's key,
 * so one instance's events of an order are published in sequence order.
 */
@Component("eventBus")
@ConditionalOnProperty(name = "hub.bus", havingValue = "pubsub")
public class PubSubEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(PubSubEventBus.class);

    /** How long a readiness answer is reused, so health probes do not call Pub/Sub every time. */
    private static final Duration AVAILABILITY_TTL = Duration.ofSeconds(2);

    private final Publisher publisher;
    private final TopicAdminClient topics;
    private final PubSubResources resources;
    private final PubSubEvents consumed;
    private final IdempotencyKeys idempotencyKeys;
    private final JdbcTemplate jdbc;
    private final Duration acceptTimeout;
    private final TransactionTemplate acceptTx;
    private final Object[] keyLocks = new Object[256];

    private volatile Instant availabilityCheckedAt = Instant.MIN;
    private volatile boolean available;

    public PubSubEventBus(
            Publisher publisher,
            TopicAdminClient topics,
            PubSubResources resources,
            PubSubEvents consumed,
            IdempotencyKeys idempotencyKeys,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            HubProperties hub) {
        this.publisher = publisher;
        this.topics = topics;
        this.resources = resources;
        this.consumed = consumed;
        this.idempotencyKeys = idempotencyKeys;
        this.jdbc = jdbc;
        this.acceptTimeout = hub.events().acceptTimeout();
        this.acceptTx = new TransactionTemplate(tx.getTransactionManager());
        this.acceptTx.setTimeout((int) Math.max(1, acceptTimeout.toSeconds()));
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new Object();
        }
    }

    @Override
    public AcceptAnswer publish(OrderEvent event, IdempotencyKeys.Request idempotency) {
        Instant deadline = Instant.now().plus(acceptTimeout);
        if (idempotency == null) {
            return AcceptAnswers.accepted(send(event, deadline));
        }
        // the key is claimed, the event published and the answer recorded in one transaction: a failed publish
        // leaves no claim behind, so the OMS's retry with the same key publishes again
        return acceptTx.execute(status -> {
            Optional<AcceptAnswer> earlier = idempotencyKeys.claim(idempotency);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            AcceptAnswer answer = AcceptAnswers.accepted(send(event, deadline));
            idempotencyKeys.complete(idempotency, answer);
            return answer;
        });
    }

    /** Publishes the event and waits for Pub/Sub's acknowledgement until the deadline; 503 otherwise. */
    private OrderEvent send(OrderEvent event, Instant deadline) {
        String key = PubSubMessages.orderingKey(event.tenantId(), event.customerOrderId());
        OrderEvent sequenced;
        ApiFuture<String> published;
        synchronized (keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)]) {
            sequenced = event.withSeq(jdbc.queryForObject("SELECT nextval('event_seq')", Long.class));
            if (Instant.now().isAfter(deadline)) {
                // the wait for the lock or the database used the whole budget: refuse before anything is published
                throw unavailable();
            }
            try {
                published = publisher.publish(PubSubMessages.encode(sequenced));
            } catch (IllegalStateException shutDown) {
                throw ProblemException.unavailable("the hub is shutting down; send the event again", 5);
            }
        }
        // After a failed publish the client holds back every later message of the key until told to go on. The
        // failure may come after this PUT has stopped waiting (the client retries for up to 10 s), so the key is
        // resumed whenever it fails, not only when this PUT sees it.
        ApiFutures.addCallback(
                published,
                new ApiFutureCallback<String>() {
                    @Override
                    public void onFailure(Throwable t) {
                        resume(key);
                    }

                    @Override
                    public void onSuccess(String messageId) {}
                },
                MoreExecutors.directExecutor());
        long waitMillis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        try {
            published.get(waitMillis, TimeUnit.MILLISECONDS);
            return sequenced;
        } catch (TimeoutException | ExecutionException e) {
            available = false;
            log.warn(
                    "Publish of event {} of order {} not acknowledged: {}",
                    event.eventId(),
                    key,
                    e instanceof TimeoutException ? "no answer in " + acceptTimeout : String.valueOf(e.getCause()));
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("the hub is shutting down; send the event again", 5);
        }
    }

    private void resume(String key) {
        try {
            publisher.resumePublish(key);
        } catch (IllegalStateException shutDown) {
            // the publisher is shutting down with the hub: nothing left to resume
        }
    }

    private static ProblemException unavailable() {
        return ProblemException.unavailable(
                "the event bus did not confirm the event in time; it is not accepted, send it again", 5);
    }

    @Override
    public boolean isAvailable() {
        if (Instant.now().isAfter(availabilityCheckedAt.plus(AVAILABILITY_TTL))) {
            try {
                topics.getTopicCallable()
                        .call(
                                GetTopicRequest.newBuilder()
                                        .setTopic(resources.topic().toString())
                                        .build(),
                                GrpcCallContext.createDefault().withTimeoutDuration(Duration.ofSeconds(2)));
                available = true;
            } catch (RuntimeException e) {
                available = false;
            }
            availabilityCheckedAt = Instant.now();
        }
        return available;
    }

    /**
     * What this instance knows of the backlog: the events it holds in flight. The subscription's whole backlog
     * ({@code num_undelivered_messages}, {@code oldest_unacked_message_age}) is a Cloud Monitoring figure, which the
     * emulator does not offer; see docs/decisions.md.
     */
    @Override
    public Backlog backlog() {
        return consumed.inFlightBacklog();
    }

    /**
     * Flushes what is still being published, for at most 5 s, so a shutdown never hangs on an unreachable Pub/Sub: the
     * client's {@code shutdown()} waits for every outstanding publish without a bound, so it runs on a thread of its own
     * that is left behind after 5 s (closing the channel afterwards fails what it still waits for).
     */
    @PreDestroy
    void stop() throws InterruptedException {
        Thread flusher = new Thread(
                () -> {
                    try {
                        publisher.shutdown();
                        publisher.awaitTermination(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "pubsub-publisher-shutdown");
        flusher.setDaemon(true);
        flusher.start();
        flusher.join(5000);
        if (flusher.isAlive()) {
            log.warn("Pub/Sub publisher did not finish within 5 s (Pub/Sub unreachable?); stopping without it");
        }
    }
}
