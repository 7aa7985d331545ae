package io.orderhub.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ingest.AcceptAnswer;
import io.orderhub.ingest.IdempotencyKeys;
import io.orderhub.ingest.OrderLocks;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderHistory;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.OrderRepository;
import io.orderhub.orders.StoredOrder;
import io.orderhub.outbound.Outbox;
import io.orderhub.security.Caller;
import io.orderhub.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a store operation ({@code :ready-for-pickup}, {@code :deliver}) on one fulfilment, in one transaction: hold the
 * order (so a racing operation or OMS event waits and then sees this one's result), replay the first answer of a
 * repeated {@code Idempotency-Key}, check visibility and ownership, apply the rule, store the order, record who did
 * it, publish the change, remember the answer for the key.
 */
@Component("storeOperations")
public class StoreOperations {

    /** The operations, by the verb of their custom method. */
    public enum Verb {
        READY_FOR_PICKUP("ready-for-pickup"),
        DELIVER("deliver");

        final String path;

        Verb(String path) {
            this.path = path;
        }
    }

    private final OrderRepository orders;
    private final OrderLocks locks;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderHistory history;
    private final Outbox changes;
    private final io.orderhub.outbound.PosLogs posLogs;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public StoreOperations(
            OrderRepository orders,
            OrderLocks locks,
            IdempotencyKeys idempotencyKeys,
            OrderHistory history,
            Outbox changes,
            io.orderhub.outbound.PosLogs posLogs,
            PlatformTransactionManager transactions) {
        this.posLogs = posLogs;
        this.orders = orders;
        this.locks = locks;
        this.idempotencyKeys = idempotencyKeys;
        this.history = history;
        this.changes = changes;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = Clock.systemUTC();
    }

    /** {@code :ready-for-pickup}: answers 200 with the order after it. */
    public void readyForPickup(Exchange exchange) {
        operate(exchange, Verb.READY_FOR_PICKUP);
    }

    /** {@code :deliver}: answers 200 with the order after it. */
    public void deliver(Exchange exchange) {
        operate(exchange, Verb.DELIVER);
    }

    /** Refuses store operations where the tenant's orders live in the OMS (proxy mode). */
    public void refuseInProxyMode(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        if ("proxy".equals(caller.tenantMode())) {
            throw new ProblemException(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    "tenant " + caller.tenantId() + " is in proxy mode: store operations are not available",
                    List.of(),
                    Map.of(),
                    Map.of("Allow", ""));
        }
    }

    private void operate(Exchange exchange, Verb verb) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        String id = exchange.getIn().getHeader("id", String.class);
        String fid = exchange.getIn().getHeader("fid", String.class);
        byte[] body = exchange.getIn().getBody(byte[].class);
        // the body is checked before anything is locked or read: a malformed request changes nothing
        DeliverRequest deliver = verb == Verb.DELIVER ? DeliverRequest.parse(body) : null;
        String key = IdempotencyKeys.checked(exchange.getIn().getHeader(IdempotencyKeys.HEADER, String.class));
        String correlationId = CorrelationIds.of(exchange);
        AcceptAnswer answer = transaction.execute(tx -> {
            IdempotencyKeys.Request idempotency = key == null
                    ? null
                    : new IdempotencyKeys.Request(
                            caller.tenantId(),
                            verb.path + " " + bu + "/" + id + "/" + fid,
                            key,
                            Tokens.sha256Hex(body == null ? "" : new String(body, StandardCharsets.UTF_8)));
            if (idempotency != null) {
                var first = idempotencyKeys.claim(idempotency);
                if (first.isPresent()) {
                    return first.get();
                }
            }
            locks.hold(caller.tenantId(), id);
            StoredOrder stored = orders.findVisible(caller.tenantId(), id, bu)
                    .orElseThrow(() -> ProblemException.notFound("no order " + id + " visible to business unit " + bu));
            ObjectNode root = (ObjectNode) OrderJson.parse(stored.document());
            ObjectNode order = (ObjectNode) root.path("customerOrder");
            JsonNode before = order.deepCopy();
            ObjectNode fulfilment = FulfillmentOperations.ownedFulfilment(order, fid, bu);
            java.time.Instant now = clock.instant();
            FulfillmentOperations.Change change = verb == Verb.READY_FOR_PICKUP
                    ? FulfillmentOperations.readyForPickup(order, fulfilment, now)
                    : FulfillmentOperations.deliver(order, fulfilment, deliver, now);
            String document = change.changed() ? OrderJson.write(root) : stored.document();
            if (change.changed()) {
                orders.save(
                        new StoredOrder(
                                stored.tenantId(),
                                stored.customerOrderId(),
                                stored.businessUnitId(),
                                document,
                                stored.origin(),
                                stored.appliedSeq(),
                                stored.omsSnapshotTime(),
                                stored.flags(),
                                null),
                        order,
                        before,
                        true);
                changes.published(
                        stored.tenantId(),
                        stored.customerOrderId(),
                        stored.businessUnitId(),
                        "STORE",
                        correlationId,
                        document,
                        order);
                if (!change.moved().isEmpty()) {
                    // every deliver that moved quantities is a sale on record: one POSLog, in this transaction
                    posLogs.storeDelivery(
                            stored.tenantId(),
                            order,
                            fulfilment,
                            change.moved().stream()
                                    .map(m -> new io.orderhub.outbound.PosLogs.Handout(m.lineItemId(), m.quantity()))
                                    .toList(),
                            correlationId,
                            now);
                }
            }
            history.recordOperation(
                    caller.tenantId(),
                    id,
                    verb.name(),
                    change.changed() ? "APPLIED" : "UNCHANGED",
                    "STORE",
                    "store " + bu + " (" + caller.actor() + ")",
                    correlationId,
                    change.detail());
            AcceptAnswer first = new AcceptAnswer(200, document, null, false);
            if (idempotency != null) {
                idempotencyKeys.complete(idempotency, first);
            }
            return first;
        });
        HttpAnswers.set(exchange, answer.status(), answer.body(), answer.location());
    }
}
