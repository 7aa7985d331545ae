package io.orderhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.SnapshotTimes;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An order event as a Pub/Sub message: the snapshot document as the data, and only this allow-list of attributes
 * (never anything of the request, such as its {@code Authorization}). The ordering key is the order's key, so Pub/Sub
 * hands one order's events out one at a time, in publish order.
 */
public final class PubSubMessages {

    public static final String EVENT_ID = "eventId";
    public static final String SEQUENCE = "sequence";
    public static final String TENANT = "tenantId";
    public static final String ORDER = "customerOrderId";
    public static final String BUSINESS_UNIT = "businessUnitId";
    public static final String ORIGIN = "origin";
    public static final String SNAPSHOT_TIME = "snapshotTime";
    public static final String EVENT_TIME_GIVEN = "eventTimeGiven";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String CORRELATION_ID = "correlationId";

    /** Set by the Pub/Sub client when the subscription has a dead-letter policy: 1 on the first delivery. */
    public static final String DELIVERY_ATTEMPT = "googclient_deliveryattempt";

    private PubSubMessages() {}

    public static String orderingKey(String tenantId, String customerOrderId) {
        return tenantId + "/" + customerOrderId;
    }

    public static PubsubMessage encode(OrderEvent e) {
        return PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(e.payload(), StandardCharsets.UTF_8))
                .setOrderingKey(orderingKey(e.tenantId(), e.customerOrderId()))
                .putAttributes(EVENT_ID, e.eventId().toString())
                .putAttributes(SEQUENCE, Long.toString(e.seq()))
                .putAttributes(TENANT, e.tenantId())
                .putAttributes(ORDER, e.customerOrderId())
                .putAttributes(BUSINESS_UNIT, e.businessUnitId())
                .putAttributes(ORIGIN, e.origin())
                .putAttributes(SNAPSHOT_TIME, e.snapshotTime().toString())
                .putAttributes(EVENT_TIME_GIVEN, Boolean.toString(e.eventTimeGiven()))
                .putAttributes(RECEIVED_AT, e.receivedAt().toString())
                .putAttributes(CORRELATION_ID, e.correlationId())
                .build();
    }

    /** How often Pub/Sub has delivered the message so far, counting this delivery (1 when it cannot tell). */
    public static int deliveryAttempt(Map<String, String> attributes) {
        try {
            return Math.max(1, Integer.parseInt(attributes.getOrDefault(DELIVERY_ATTEMPT, "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * The event a message of the hub's topic carries; a message that is not one (another publisher, a corrupted
     * attribute) is refused with an {@link IllegalArgumentException} naming what is wrong.
     */
    public static OrderEvent decode(Map<String, String> attributes, byte[] data, int earlierAttempts) {
        try {
            return new OrderEvent(
                    parsed(attributes, EVENT_ID, UUID::fromString),
                    parsed(attributes, SEQUENCE, Long::parseLong),
                    required(attributes, TENANT),
                    required(attributes, ORDER),
                    required(attributes, BUSINESS_UNIT),
                    parsed(attributes, ORIGIN, OrderEvent.Origin::valueOf).name(),
                    parsed(attributes, SNAPSHOT_TIME, OffsetDateTime::parse),
                    Boolean.parseBoolean(required(attributes, EVENT_TIME_GIVEN)),
                    validPayload(data),
                    required(attributes, CORRELATION_ID),
                    parsed(attributes, RECEIVED_AT, OffsetDateTime::parse),
                    earlierAttempts);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an order event of this hub: " + e.getMessage(), e);
        }
    }

    /**
     * What can be saved of a message that reached the dead-letter topic, to keep it in the dead-letter store and replay
     * it: the tenant and the order must be known and the data must be an order document; anything else is filled in
     * (a new event id, no sequence, the document's own time). Empty when even that is missing.
     */
    public static Optional<OrderEvent> salvage(Map<String, String> attributes, byte[] data, int attempts) {
        String tenant = attributes.get(TENANT);
        JsonNode doc;
        try {
            doc = OrderJson.parse(data);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        JsonNode order = doc.path("customerOrder");
        String orderId =
                attributes.getOrDefault(ORDER, order.path("customerOrderId").asText(null));
        String bu = attributes.getOrDefault(
                BUSINESS_UNIT, order.path("businessUnitId").asText(null));
        if (tenant == null || orderId == null || bu == null || !order.isObject()) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime snapshotTime = orElse(() -> OffsetDateTime.parse(attributes.get(SNAPSHOT_TIME)), null);
        return Optional.of(new OrderEvent(
                orElse(() -> UUID.fromString(attributes.get(EVENT_ID)), UUID.randomUUID()),
                orElse(() -> Long.parseLong(attributes.get(SEQUENCE)), 0L),
                tenant,
                orderId,
                bu,
                orElse(() -> OrderEvent.Origin.valueOf(attributes.get(ORIGIN)).name(), OrderEvent.Origin.OMS.name()),
                snapshotTime != null ? snapshotTime : orElse(() -> SnapshotTimes.fromDocument(order), now),
                Boolean.parseBoolean(attributes.get(EVENT_TIME_GIVEN)),
                new String(data, StandardCharsets.UTF_8),
                attributes.getOrDefault(CORRELATION_ID, UUID.randomUUID().toString()),
                orElse(() -> OffsetDateTime.parse(attributes.get(RECEIVED_AT)), now),
                attempts));
    }

    private static String validPayload(byte[] data) {
        JsonNode doc = OrderJson.parse(data);
        if (!doc.path("customerOrder").isObject()) {
            throw new IllegalArgumentException("the data is not an order document");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private static <T> T parsed(
            Map<String, String> attributes, String name, java.util.function.Function<String, T> parser) {
        String value = required(attributes, name);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("attribute " + name + " is not valid: " + value);
        }
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("attribute " + name + " is missing");
        }
        return value;
    }

    private static <T> T orElse(java.util.function.Supplier<T> value, T fallback) {
        try {
            T v = value.get();
            return v != null ? v : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
