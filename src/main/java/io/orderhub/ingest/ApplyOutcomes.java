package io.orderhub.ingest;

import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import io.orderhub.orders.OrderHistory;
import io.orderhub.orders.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happens after the apply route: the event leaves the bus with its outcome, or, when applying failed, it is
 * retried with backoff, dead-lettered, or left waiting while the database is away.
 */
@Component("applyOutcomes")
public class ApplyOutcomes {

    private static final Logger log = LoggerFactory.getLogger(ApplyOutcomes.class);

    /** Exchange property: the dead letter being replayed. */
    public static final String DEAD_LETTER_ID = "deadLetterId";

    private final ObjectProvider<PostgresEventBus> postgresBus;
    private final DeadLetters deadLetters;
    private final OrderHistory history;
    private final Alerts alerts;
    private final ConsumptionGate gate;
    private final HubProperties hub;
    private final TransactionTemplate newTransaction;
    private final io.orderhub.ops.HubMetrics metrics;

    public ApplyOutcomes(
            ObjectProvider<PostgresEventBus> postgresBus,
            DeadLetters deadLetters,
            OrderHistory history,
            Alerts alerts,
            ConsumptionGate gate,
            HubProperties hub,
            PlatformTransactionManager transactions,
            io.orderhub.ops.HubMetrics metrics) {
        this.metrics = metrics;
        this.postgresBus = postgresBus;
        this.deadLetters = deadLetters;
        this.history = history;
        this.alerts = alerts;
        this.gate = gate;
        this.hub = hub;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Ends the event's life on its source, inside the transaction of its outcome. */
    public void complete(Exchange exchange) {
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        metrics.applied(String.valueOf(exchange.getIn().getHeader(Events.OUTCOME)));
        switch (String.valueOf(exchange.getProperty(OrderLocks.SOURCE))) {
            case "postgres-bus" -> postgresBus.getObject().remove(event.seq());
            case "pubsub" -> {
                // acknowledged by the consume route once this transaction has committed
            }
            case "replay" -> {
                // inside the apply transaction: a concurrent replay or discard of the same dead letter loses here
                if (!deadLetters.resolve(
                        exchange.getProperty(DEAD_LETTER_ID, UUID.class),
                        String.valueOf(exchange.getIn().getHeader(Events.OUTCOME)))) {
                    throw io.orderhub.ops.ProblemException.conflict(
                            "dead-letter-closed", "the dead letter was resolved or discarded meanwhile");
                }
            }
            default -> throw new IllegalStateException(
                    "unknown event source " + exchange.getProperty(OrderLocks.SOURCE));
        }
    }

    /**
     * Handles a failure of the apply route, in a transaction of its own while the failed one is rolled back: a
     * database outage pauses consumption, a transient failure is retried with backoff, anything else, and a transient
     * failure out of retries, becomes a dead letter.
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        Failures.Kind kind = Failures.classify(failure);
        String error = Failures.describe(failure);
        String source = String.valueOf(exchange.getProperty(OrderLocks.SOURCE));
        if (failure instanceof io.orderhub.ops.ProblemException refusal) {
            // a replay refused (the dead letter closed meanwhile): the caller's answer, not a failure of the event
            throw refusal;
        }
        if (kind == Failures.Kind.DATABASE_OUTAGE) {
            gate.pause(hub.events().outagePause(), error);
            exchange.getIn().setHeader(Events.OUTCOME, "PAUSED");
            if ("replay".equals(source)) {
                throw new IllegalStateException("database unavailable", failure);
            }
            return;
        }
        try {
            newTransaction.executeWithoutResult(s -> handle(exchange, event, kind, error, source));
        } catch (RuntimeException e) {
            if (Failures.classify(e) == Failures.Kind.DATABASE_OUTAGE) {
                gate.pause(hub.events().outagePause(), Failures.describe(e));
                // nothing of the failure was recorded: the event must stay on its bus (Pub/Sub: not acknowledged)
                exchange.getIn().setHeader(Events.OUTCOME, "PAUSED");
                return;
            }
            throw e;
        }
    }

    private void handle(Exchange exchange, OrderEvent event, Failures.Kind kind, String error, String source) {
        int attempts = event.attempts() + 1;
        if ("replay".equals(source)) {
            UUID id = exchange.getProperty(DEAD_LETTER_ID, UUID.class);
            deadLetters.replayFailed(id, kind.name(), error);
            history.record(event, Outcome.DEAD_LETTERED.name(), "replay failed: " + error);
            exchange.getIn().setHeader(Events.OUTCOME, Outcome.DEAD_LETTERED);
            return;
        }
        List<Duration> retry = hub.events().retry();
        if (kind == Failures.Kind.TRANSIENT && attempts <= retry.size()) {
            log.warn(
                    "event {} of order {}/{} failed (attempt {}), retrying in {}: {}",
                    event.eventId(),
                    event.tenantId(),
                    event.customerOrderId(),
                    attempts,
                    retry.get(attempts - 1),
                    error);
            if ("postgres-bus".equals(source)) {
                postgresBus.getObject().retryLater(event, attempts, retry.get(attempts - 1), error);
            }
            exchange.getIn().setHeader(Events.OUTCOME, "RETRY");
            return;
        }
        deadLetter(event, attempts, kind == Failures.Kind.TRANSIENT ? "TRANSIENT" : "PERSISTENT", error, source);
        exchange.getIn().setHeader(Events.OUTCOME, Outcome.DEAD_LETTERED);
    }

    /** Moves the event to the dead-letter store, records it in the order's history and raises a DEAD_LETTER alert. */
    public UUID deadLetter(OrderEvent event, int attempts, String errorClass, String error, String source) {
        if ("postgres-bus".equals(source) && !postgresBus.getObject().remove(event.seq())) {
            // already taken off the bus by another consumer's outcome: nothing left to dead-letter
            return null;
        }
        UUID id = deadLetters.add(event, attempts, errorClass, error);
        metrics.deadLettered();
        history.record(event, Outcome.DEAD_LETTERED.name(), errorClass + ": " + error);
        alerts.raise(new Alerts.Alert(
                "DEAD_LETTER",
                id.toString(),
                "error",
                event.tenantId(),
                event.customerOrderId(),
                "event " + event.eventId() + " was dead-lettered (" + errorClass + "): " + error,
                event.correlationId(),
                Map.of(
                        "deadLetterId",
                        id.toString(),
                        "eventId",
                        event.eventId().toString(),
                        "errorClass",
                        errorClass)));
        return id;
    }
}
