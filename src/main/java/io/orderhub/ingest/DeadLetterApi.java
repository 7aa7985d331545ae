package io.orderhub.ingest;

import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderHistory;
import io.orderhub.orders.OrderJson;
import io.orderhub.security.Caller;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The dead-letter endpoints of api.md: list, get, replay, discard, each scoped to the caller's tenant. */
@Component("deadLetterApi")
public class DeadLetterApi {

    private final DeadLetters store;
    private final OrderHistory history;

    public DeadLetterApi(DeadLetters store, OrderHistory history) {
        this.store = store;
        this.history = history;
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        int skip = intParam(exchange, "skip", 0, 0, Integer.MAX_VALUE);
        int take = intParam(exchange, "take", 20, 1, 200);
        String order = exchange.getIn().getHeader("customerOrderId", String.class);
        HttpAnswers.set(
                exchange, 200, store.list(caller.tenantId(), order, skip, take).toString(), null);
    }

    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID id = id(exchange);
        HttpAnswers.set(
                exchange,
                200,
                store.get(caller.tenantId(), id).orElseThrow(() -> notFound(id)).toString(),
                null);
    }

    /** Loads an open dead letter as the event to replay through the apply route. */
    public void loadForReplay(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID id = id(exchange);
        OrderEvent event = store.openEvent(caller.tenantId(), id)
                .orElseThrow(() -> store.exists(caller.tenantId(), id)
                        ? ProblemException.conflict(
                                "dead-letter-closed", "dead letter " + id + " was already resolved or discarded")
                        : notFound(id));
        exchange.setProperty(OrderLocks.SOURCE, "replay");
        exchange.setProperty(ApplyOutcomes.DEAD_LETTER_ID, id);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(event);
    }

    /** The answer to a replay: the outcome the apply route gave it. */
    public void replayAnswer(Exchange exchange) {
        String outcome = String.valueOf(exchange.getIn().getHeader(Events.OUTCOME));
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        Caller caller = Caller.of(exchange);
        // who replayed it, and under which correlation id: the event's own entry keeps the original ones
        history.recordAction(
                caller.tenantId(),
                event.customerOrderId(),
                "DEAD_LETTER_REPLAYED",
                caller.actor(),
                CorrelationIds.of(exchange),
                "dead letter " + exchange.getProperty(ApplyOutcomes.DEAD_LETTER_ID) + " replayed: " + outcome);
        HttpAnswers.set(
                exchange,
                200,
                OrderJson.MAPPER.createObjectNode().put("outcome", outcome).toString(),
                null);
    }

    public void discard(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID id = id(exchange);
        String order = store.discard(caller.tenantId(), id)
                .orElseThrow(() -> store.exists(caller.tenantId(), id)
                        ? ProblemException.conflict(
                                "dead-letter-closed", "dead letter " + id + " was already resolved or discarded")
                        : notFound(id));
        history.recordAction(
                caller.tenantId(),
                order,
                "DEAD_LETTER_DISCARDED",
                caller.actor(),
                CorrelationIds.of(exchange),
                "dead letter " + id + " discarded");
        HttpAnswers.noContent(exchange);
    }

    private static UUID id(Exchange exchange) {
        String raw = exchange.getIn().getHeader("deadLetterId", String.class);
        try {
            return UUID.fromString(raw);
        } catch (RuntimeException e) {
            throw ProblemException.notFound("no dead letter " + raw);
        }
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no dead letter " + id);
    }

    private static int intParam(Exchange exchange, String name, int dflt, int min, int max) {
        String raw = exchange.getIn().getHeader(name, String.class);
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ProblemException(
                400, "validation", "Invalid request", name + " must be a whole number from " + min + " to " + max);
    }
}
