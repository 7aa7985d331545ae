package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** domain.md "Snapshot time": the Event-Time header when given, else the greatest changedDateTime in the document. */
public final class SnapshotTimes {

    private SnapshotTimes() {}

    /** The snapshot time of {@code customerOrder}: greatest {@code changedDateTime} of order, fulfilments and lines. */
    public static OffsetDateTime fromDocument(JsonNode customerOrder) {
        OffsetDateTime max = parse(customerOrder.path("status").path("changedDateTime"));
        for (JsonNode f : customerOrder.path("fulfillments")) {
            max = later(max, parse(f.path("status").path("changedDateTime")));
            for (JsonNode line : f.path("lineItems")) {
                max = later(max, parse(line.path("status").path("changedDateTime")));
            }
        }
        return max;
    }

    /** Parses an Event-Time header value; null when it is not an RFC 3339 date-time. */
    public static OffsetDateTime parseHeader(String value) {
        if (!OrderDocumentValidator.isRfc3339DateTime(value.trim())) {
            return null;
        }
        return parseLenient(value.trim());
    }

    private static OffsetDateTime parse(JsonNode node) {
        return node.isTextual() ? parseLenient(node.asText()) : null;
    }

    /** RFC 3339 to an instant; a leap second (23:59:60) counts as 23:59:59, as java.time has none. */
    static OffsetDateTime parseLenient(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.replaceFirst("(?<=T\\d{2}:\\d{2}:)60", "59"));
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** The later of two times; null counts as earliest. */
    static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }
}
