package io.orderhub.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ingest.AcceptAnswer;
import io.orderhub.ingest.IdempotencyKeys;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderCodes;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.orders.OrderHistory;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.OrderRepository;
import io.orderhub.orders.StoredOrder;
import io.orderhub.orders.Violation;
import io.orderhub.outbound.Outbox;
import io.orderhub.security.Caller;
import io.orderhub.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST .../customer-orders}: an order taken in the store (api.md "Create a store order"). The hub mints its id,
 * stores it at once (no OMS is involved: store-to-store pickup works without one) and publishes it, which is how an
 * order for home delivery from the warehouse reaches the OMS.
 */
@Component("storeOrders")
public class StoreOrders {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    private final OrderDocumentValidator validator;
    private final OrderRepository orders;
    private final OrderCodes codes;
    private final OrderHistory history;
    private final Outbox changes;
    private final IdempotencyKeys idempotencyKeys;
    private final TransactionTemplate transaction;

    public StoreOrders(
            OrderDocumentValidator validator,
            OrderRepository orders,
            OrderCodes codes,
            OrderHistory history,
            Outbox changes,
            IdempotencyKeys idempotencyKeys,
            PlatformTransactionManager transactions) {
        this.validator = validator;
        this.orders = orders;
        this.codes = codes;
        this.history = history;
        this.changes = changes;
        this.idempotencyKeys = idempotencyKeys;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Checks the new order: no {@code customerOrderId} (the hub mints it), the placing store from the path, a status
     * of CREATED now when none is given, and then the whole document under the v2 rules; 400 naming every violation.
     */
    public void validate(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        if ("proxy".equals(caller.tenantMode())) {
            throw new ProblemException(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    "tenant " + caller.tenantId() + " is in proxy mode: orders are created in the OMS",
                    List.of(),
                    Map.of(),
                    Map.of("Allow", ""));
        }
        JsonNode root = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        List<Violation> violations = new ArrayList<>();
        if (bu == null || !ID.matcher(bu).matches()) {
            violations.add(new Violation("/path/bu", "must be 1 to 128 of A-Z a-z 0-9 . _ -"));
        }
        String id = UUID.randomUUID().toString();
        JsonNode order = root.path("customerOrder");
        if (order instanceof ObjectNode o) {
            if (o.has("customerOrderId")) {
                violations.add(new Violation(
                        "/customerOrder/customerOrderId", "is minted by the hub: leave it out of a new store order"));
            }
            JsonNode docBu = o.path("businessUnitId");
            if (docBu.isTextual() && !docBu.asText().equals(bu)) {
                violations.add(
                        new Violation("/customerOrder/businessUnitId", "must equal the path's business unit " + bu));
            }
            o.put("customerOrderId", id);
            o.put("businessUnitId", bu);
            if (!o.has("status")) {
                o.putObject("status")
                        .put("status", "CREATED")
                        .put(
                                "changedDateTime",
                                DateTimeFormatter.ISO_INSTANT.format(
                                        Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            }
        }
        // the document as the hub will store it must be valid v2; pointers name the client's fields
        for (Violation v : validator.validate(root)) {
            if (!v.pointer().equals("/customerOrder/customerOrderId")) {
                violations.add(v);
            }
        }
        String key = exchange.getIn().getHeader(IdempotencyKeys.HEADER, String.class);
        if (key != null && (key.isEmpty() || key.length() > 128)) {
            violations.add(new Violation("/headers/Idempotency-Key", "must be 1 to 128 characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations);
        }
        exchange.setProperty("newOrder", root);
    }

    /** Stores, publishes and answers 201 with the order and its Location (or the first answer of a repeated key). */
    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        ObjectNode root = exchange.getProperty("newOrder", ObjectNode.class);
        ObjectNode order = (ObjectNode) root.get("customerOrder");
        String id = order.get("customerOrderId").asText();
        String key = IdempotencyKeys.checked(exchange.getIn().getHeader(IdempotencyKeys.HEADER, String.class));
        String correlationId = CorrelationIds.of(exchange);
        byte[] body = exchange.getIn().getBody(byte[].class);
        AcceptAnswer answer = transaction.execute(tx -> {
            IdempotencyKeys.Request idempotency = key == null
                    ? null
                    : new IdempotencyKeys.Request(
                            caller.tenantId(),
                            "create " + bu,
                            key,
                            Tokens.sha256Hex(new String(body, StandardCharsets.UTF_8)));
            if (idempotency != null) {
                var first = idempotencyKeys.claim(idempotency);
                if (first.isPresent()) {
                    return first.get();
                }
            }
            codes.mintMissing(caller.tenantId(), id, order);
            String document = OrderJson.write(root);
            orders.save(
                    new StoredOrder(caller.tenantId(), id, bu, document, "STORE", null, null, List.of(), null),
                    order,
                    true);
            history.recordOperation(
                    caller.tenantId(),
                    id,
                    "CREATED_IN_STORE",
                    "APPLIED",
                    "STORE",
                    "store " + bu + " (" + caller.actor() + ")",
                    correlationId,
                    "order created in store " + bu);
            changes.published(caller.tenantId(), id, bu, "STORE", correlationId, document, order);
            AcceptAnswer first =
                    new AcceptAnswer(201, document, "/api/v1/business-units/" + bu + "/customer-orders/" + id, false);
            if (idempotency != null) {
                idempotencyKeys.complete(idempotency, first);
            }
            return first;
        });
        HttpAnswers.set(exchange, answer.status(), answer.body(), answer.location());
    }
}
