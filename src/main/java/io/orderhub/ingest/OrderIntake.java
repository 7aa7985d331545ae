package io.orderhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.OrderRepository;
import io.orderhub.orders.SnapshotTimes;
import io.orderhub.orders.Violation;
import io.orderhub.security.Caller;
import io.orderhub.security.Tokens;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The rules of {@code PUT .../customer-orders/{id}}: what makes a snapshot acceptable, and its durable accept. */
@Component("orderIntake")
public class OrderIntake {

    static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    /** Exchange property holding the validated event until it is accepted. */
    static final String EVENT = "orderEvent";

    private final OrderDocumentValidator validator;
    private final OrderRepository orders;
    private final EventBus bus;
    private final io.orderhub.ops.HubMetrics metrics;

    public OrderIntake(
            OrderDocumentValidator validator,
            OrderRepository orders,
            EventBus bus,
            io.orderhub.ops.HubMetrics metrics) {
        this.validator = validator;
        this.orders = orders;
        this.bus = bus;
        this.metrics = metrics;
    }

    /** Validates the PUT: ids, mode, document, Event-Time; refuses with 400 naming every violation. */
    public void validate(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        String id = exchange.getIn().getHeader("id", String.class);
        List<Violation> violations = new ArrayList<>();
        checkId(violations, "/path/bu", bu);
        checkId(violations, "/path/id", id);
        if ("proxy".equals(caller.tenantMode())) {
            throw new ProblemException(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    "tenant " + caller.tenantId() + " is in proxy mode: orders are written in the OMS",
                    List.of(),
                    Map.of(),
                    Map.of("Allow", "GET"));
        }
        JsonNode root = OrderJson.parse(exchange.getIn().getBody(byte[].class));
        violations.addAll(validator.validate(root));
        JsonNode order = root.path("customerOrder");
        if (order.isObject()) {
            JsonNode docId = order.path("customerOrderId");
            if (docId.isTextual() && id != null && !docId.asText().equals(id)) {
                violations.add(new Violation("/customerOrder/customerOrderId", "must equal the path's order id " + id));
            }
            JsonNode docBu = order.path("businessUnitId");
            if (docBu.isTextual() && bu != null && !docBu.asText().equals(bu)) {
                violations.add(
                        new Violation("/customerOrder/businessUnitId", "must equal the path's business unit " + bu));
            }
        }
        String eventTimeHeader = exchange.getIn().getHeader("Event-Time", String.class);
        OffsetDateTime eventTime = null;
        if (eventTimeHeader != null) {
            eventTime = SnapshotTimes.parseHeader(eventTimeHeader);
            if (eventTime == null) {
                violations.add(new Violation("/headers/Event-Time", "must be an RFC 3339 date-time"));
            }
        }
        String idempotencyKey = exchange.getIn().getHeader(IdempotencyKeys.HEADER, String.class);
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 128)) {
            violations.add(new Violation("/headers/Idempotency-Key", "must be 1 to 128 characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations);
        }
        ((ObjectNode) order).put("businessUnitId", bu);
        OffsetDateTime snapshotTime = eventTime != null ? eventTime : SnapshotTimes.fromDocument(order);
        exchange.setProperty(
                EVENT,
                new OrderEvent(
                        UUID.randomUUID(),
                        0,
                        caller.tenantId(),
                        id,
                        bu,
                        OrderEvent.Origin.OMS.name(),
                        snapshotTime,
                        eventTime != null,
                        OrderJson.write(root),
                        CorrelationIds.of(exchange),
                        OffsetDateTime.now(ZoneOffset.UTC),
                        0));
    }

    /** Puts the validated event on the bus and answers 202 (or the first answer of a repeated Idempotency-Key). */
    public void accept(Exchange exchange) {
        OrderEvent event = exchange.getProperty(EVENT, OrderEvent.class);
        orders.placedAt(event.tenantId(), event.customerOrderId()).ifPresent(placedAt -> {
            if (!placedAt.equals(event.businessUnitId())) {
                throw ProblemException.conflict(
                        "order-moved", "order " + event.customerOrderId() + " was placed at business unit " + placedAt);
            }
        });
        String key = IdempotencyKeys.checked(exchange.getIn().getHeader(IdempotencyKeys.HEADER, String.class));
        IdempotencyKeys.Request idempotency = key == null
                ? null
                : new IdempotencyKeys.Request(
                        event.tenantId(),
                        "PUT " + event.businessUnitId() + "/" + event.customerOrderId(),
                        key,
                        Tokens.sha256Hex(exchange.getIn().getHeader("Event-Time", "", String.class) + "\n"
                                + new String(
                                        exchange.getIn().getBody(byte[].class),
                                        java.nio.charset.StandardCharsets.UTF_8)));
        AcceptAnswer answer = bus.publish(event, idempotency);
        if (!answer.replayed()) {
            metrics.accepted();
        }
        HttpAnswers.set(exchange, answer.status(), answer.body(), answer.location());
    }

    private static void checkId(List<Violation> violations, String pointer, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            violations.add(new Violation(pointer, "must be 1 to 128 of A-Z a-z 0-9 . _ -"));
        }
    }
}
