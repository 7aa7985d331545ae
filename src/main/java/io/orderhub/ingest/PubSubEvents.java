package io.orderhub.ingest;

import com.google.protobuf.Timestamp;
import io.orderhub.HubProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.google.pubsub.GooglePubsubConstants;
import org.apache.camel.component.google.pubsub.consumer.GooglePubsubAcknowledge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The consuming side of the Pub/Sub bus, for the routes {@code order-event-pubsub-consume} and
 * {@code order-event-dead-letter-consume}: turns a message into an event for the apply route, and settles it only after
 * the apply route committed its outcome: acknowledged, or nacked for Pub/Sub to deliver again (a transient failure
 * still within its retries, or the database away). Pub/Sub extends the ack deadline while the hub holds the message.
 */
@Component("pubSubEvents")
public class PubSubEvents {

    private static final Logger log = LoggerFactory.getLogger(PubSubEvents.class);

    /** Exchange property holding the acknowledgement of the message, out of reach of the apply route's headers. */
    static final String ACKNOWLEDGE = "pubsubAcknowledge";

    /** Exchange property: the message is not a readable event (already dead-lettered or dropped). */
    static final String UNREADABLE = "pubsubUnreadable";

    /** The outcomes the apply route records in the transaction it commits: only these acknowledge a message. */
    private static final java.util.Set<String> COMMITTED = java.util.Arrays.stream(io.orderhub.orders.Outcome.values())
            .map(Enum::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final String MESSAGE_ID = "pubsubMessageId";

    /** Exchange property: the event read from the message, to apply again after an outage pause. */
    private static final String EVENT = "pubsubEvent";

    private final ApplyOutcomes outcomes;
    private final DeadLetters deadLetters;
    private final HubProperties hub;

    /** Messages this instance holds, by exchange id: the backlog figures and EVENT_AGING come from them. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** A message held by this instance: its event, and when Pub/Sub accepted it. */
    public record Held(OrderEvent event, Instant publishedAt) {}

    /** Advisory lock namespace of storing a dead letter from Pub/Sub (1-3 are accepting, applying and polling). */
    static final int DEAD_LETTER_LOCK = 5;

    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final org.springframework.transaction.support.TransactionTemplate tx;

    public PubSubEvents(
            ApplyOutcomes outcomes,
            DeadLetters deadLetters,
            HubProperties hub,
            org.springframework.jdbc.core.JdbcTemplate jdbc,
            org.springframework.transaction.support.TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.hub = hub;
    }

    /**
     * Turns the message into the event the apply route takes. A message that is not a readable event is a persistent
     * failure: what can be saved of it goes to the dead-letter store at once (error class {@code PERSISTENT}), and it is
     * acknowledged; property {@link #UNREADABLE} tells the route to skip the apply. (Leaving it to Pub/Sub's
     * dead-letter policy would also work on Google, but the emulator stops delivering the whole ordered subscription
     * once a message runs out of attempts; docs/decisions.md.)
     */
    public void receive(Exchange exchange) {
        GooglePubsubAcknowledge ack = exchange.getIn()
                .getHeader(GooglePubsubConstants.GOOGLE_PUBSUB_ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        exchange.setProperty(ACKNOWLEDGE, ack);
        // the apply route clears the headers: keep the message id for the log of a failure
        exchange.setProperty(MESSAGE_ID, exchange.getIn().getHeader(GooglePubsubConstants.MESSAGE_ID));
        Instant publishedAt = publishTime(exchange);
        Map<String, String> attributes = attributes(exchange);
        int attempt = PubSubMessages.deliveryAttempt(attributes);
        byte[] data = exchange.getIn().getBody(byte[].class);
        OrderEvent event;
        try {
            event = PubSubMessages.decode(attributes, data, attempt - 1);
        } catch (IllegalArgumentException unreadable) {
            exchange.setProperty(UNREADABLE, true);
            exchange.getIn().setHeader(Events.OUTCOME, "DEAD_LETTERED");
            Optional<OrderEvent> salvaged = PubSubMessages.salvage(attributes, data, attempt);
            if (salvaged.isEmpty()) {
                // no tenant or no order document: nothing of it could ever be applied or shown to a tenant
                log.error(
                        "Pub/Sub message {} is not an order event of this hub (attributes {}): dropped; {}",
                        exchange.getIn().getHeader(GooglePubsubConstants.MESSAGE_ID),
                        attributes.keySet(),
                        unreadable.getMessage());
            } else {
                deadLetterOnce(salvaged.get(), attempt, "PERSISTENT", unreadable.getMessage());
            }
            return;
        }
        held.put(exchange.getExchangeId(), new Held(event, publishedAt));
        exchange.setProperty(OrderLocks.SOURCE, "pubsub");
        exchange.setProperty(EVENT, event);
        exchange.getIn().setBody(event);
    }

    /**
     * True when the apply is to be tried again within this same delivery, after a pause: the database was away
     * ({@code PAUSED}, after {@code hub.events.outage-pause}) or a transient failure still has retries left
     * ({@code RETRY}, after its {@code hub.events.retry} delay). The message stays with this consumer meanwhile (Pub/Sub
     * keeps extending its deadline), so the order's later events wait behind it, as on the PostgreSQL bus, and an
     * outage never spends delivery attempts. Nacking instead would let Pub/Sub hand out the order's next event first.
     * False when there is nothing to retry, or the hub is stopping (then the message is nacked).
     */
    public boolean retryInPlace(Exchange exchange) throws InterruptedException {
        String outcome = String.valueOf(exchange.getIn().getHeader(Events.OUTCOME));
        OrderEvent event = exchange.getProperty(EVENT, OrderEvent.class);
        Duration wait;
        if ("PAUSED".equals(outcome)) {
            wait = hub.events().outagePause();
        } else if ("RETRY".equals(outcome)) {
            int failed = event.attempts() + 1;
            java.util.List<Duration> retry = hub.events().retry();
            wait = retry.get(Math.min(failed, retry.size()) - 1);
            event = event.withAttempts(failed);
            exchange.setProperty(EVENT, event);
        } else {
            return false;
        }
        if (!exchange.getContext().getStatus().isStarted()) {
            return false;
        }
        Thread.sleep(wait.toMillis());
        exchange.getIn().setBody(event);
        return exchange.getContext().getStatus().isStarted();
    }

    /**
     * After the apply route: an outcome it committed acknowledges the message; anything else (a retry or a pause cut
     * short by a shutdown, no outcome at all) sends it back to Pub/Sub, whose retry policy gives the backoff.
     */
    public void settle(Exchange exchange) {
        String outcome = String.valueOf(exchange.getIn().getHeader(Events.OUTCOME));
        GooglePubsubAcknowledge ack = exchange.getProperty(ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        held.remove(exchange.getExchangeId());
        if (COMMITTED.contains(outcome)) {
            ack.ack(exchange);
        } else {
            // RETRY, PAUSED, or no outcome at all: nothing was committed, so Pub/Sub must deliver it again
            ack.nack(exchange);
        }
    }

    /**
     * A failure outside the apply route's own handling (it records every failure of applying): nacked, so Pub/Sub
     * delivers the message again and, after the subscription's maximum delivery attempts, moves it to the dead-letter
     * topic, from which {@link #deadLetter} stores it.
     */
    public void refuse(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        held.remove(exchange.getExchangeId());
        log.error(
                "Pub/Sub message {} could not be processed, nacked: {}",
                exchange.getProperty(
                        MESSAGE_ID, exchange.getIn().getHeader(GooglePubsubConstants.MESSAGE_ID), Object.class),
                Failures.describe(failure));
        GooglePubsubAcknowledge ack = exchange.getProperty(ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        if (ack == null) {
            ack = exchange.getIn()
                    .getHeader(GooglePubsubConstants.GOOGLE_PUBSUB_ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        }
        if (ack != null) {
            ack.nack(exchange);
        }
    }

    /**
     * A message Pub/Sub's dead-letter policy moved to the dead-letter topic (delivery after delivery it was never
     * settled: it crashed the consumer, or the hub could not record its failure): stored in the dead-letter store with error class {@code UNKNOWN}, to be replayed
     * or discarded like any other, then acknowledged. Redelivered copies of one event make one dead letter.
     */
    public void deadLetter(Exchange exchange) {
        GooglePubsubAcknowledge ack = exchange.getIn()
                .getHeader(GooglePubsubConstants.GOOGLE_PUBSUB_ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        Map<String, String> attributes = attributes(exchange);
        int attempts = Math.max(hubMaxAttempts(), PubSubMessages.deliveryAttempt(attributes));
        Optional<OrderEvent> event =
                PubSubMessages.salvage(attributes, exchange.getIn().getBody(byte[].class), attempts);
        if (event.isEmpty()) {
            // not an order of any tenant: nothing of it could ever be applied, and it was never accepted by the hub
            log.error(
                    "Pub/Sub message {} on the dead-letter topic is not an order event (attributes {}); dropped",
                    exchange.getIn().getHeader(GooglePubsubConstants.MESSAGE_ID),
                    attributes.keySet());
        } else {
            deadLetterOnce(
                    event.get(),
                    attempts,
                    "UNKNOWN",
                    "moved to the dead-letter topic by Pub/Sub after " + attempts
                            + " delivery attempts: the consumer could not process it");
        }
        ack.ack(exchange);
    }

    /** The events this instance holds, and the age of the oldest (Pub/Sub's publish time). */
    public EventBus.Backlog inFlightBacklog() {
        Instant oldest = held.values().stream()
                .map(Held::publishedAt)
                .min(Comparator.naturalOrder())
                .orElse(null);
        double age =
                oldest == null ? 0 : Duration.between(oldest, Instant.now()).toMillis() / 1000.0;
        return new EventBus.Backlog(held.size(), Math.max(0, age));
    }

    /** The held events published longer ago than {@code limit}. */
    public java.util.List<Held> heldLongerThan(Duration limit) {
        Instant before = Instant.now().minus(limit);
        return held.values().stream()
                .filter(h -> h.publishedAt().isBefore(before))
                .sorted(Comparator.comparing(Held::publishedAt))
                .toList();
    }

    /**
     * Stores the event as a dead letter unless one of it exists, with its history entry and alert, in one transaction
     * that holds the event id: copies of one message delivered to two instances make one dead letter.
     */
    private void deadLetterOnce(OrderEvent event, int attempts, String errorClass, String error) {
        tx.executeWithoutResult(status -> {
            jdbc.queryForObject(
                    "SELECT pg_advisory_xact_lock(" + DEAD_LETTER_LOCK + ", hashtext(?))::text",
                    String.class,
                    event.eventId().toString());
            if (!deadLetters.holdsEvent(event.eventId())) {
                outcomes.deadLetter(sequenced(event), attempts, errorClass, error, "pubsub");
            }
        });
    }

    /** A salvaged event without a readable sequence takes the next one, so a replay orders it like a new event. */
    private OrderEvent sequenced(OrderEvent e) {
        return e.seq() > 0 ? e : e.withSeq(jdbc.queryForObject("SELECT nextval('event_seq')", Long.class));
    }

    private int hubMaxAttempts() {
        return PubSubResources.maxDeliveryAttempts(hub);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> attributes(Exchange exchange) {
        Map<String, String> attributes = exchange.getIn().getHeader(GooglePubsubConstants.ATTRIBUTES, Map.class);
        return attributes != null ? attributes : Map.of();
    }

    private static Instant publishTime(Exchange exchange) {
        Timestamp t = exchange.getIn().getHeader(GooglePubsubConstants.PUBLISH_TIME, Timestamp.class);
        return t == null ? Instant.now() : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
