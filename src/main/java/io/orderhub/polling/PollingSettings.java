package io.orderhub.polling;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.Violation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A tenant's {@code polling} setting (api.md "Polling mode"): {@code {"interval": "PT30S", "pageSize": 100}}. */
public record PollingSettings(Duration interval, int pageSize) {

    public static final PollingSettings DEFAULT = new PollingSettings(Duration.ofSeconds(30), 100);

    /** The stored setting (JSON text, or null for the defaults). */
    public static PollingSettings of(String stored) {
        if (stored == null) {
            return DEFAULT;
        }
        JsonNode n = OrderJson.parse(stored);
        return new PollingSettings(
                n.hasNonNull("interval") ? Duration.parse(n.get("interval").asText()) : DEFAULT.interval(),
                n.hasNonNull("pageSize") ? n.get("pageSize").asInt() : DEFAULT.pageSize());
    }

    /** What is wrong with a {@code polling} object of a tenant PUT, each with its pointer. */
    public static List<Violation> check(JsonNode polling) {
        List<Violation> errors = new ArrayList<>();
        polling.fieldNames().forEachRemaining(f -> {
            if (!Set.of("interval", "pageSize").contains(f)) {
                errors.add(new Violation("/polling/" + f, "is not allowed (unknown field)"));
            }
        });
        JsonNode interval = polling.get("interval");
        if (interval != null) {
            try {
                Duration d = Duration.parse(interval.asText());
                if (!interval.isTextual()
                        || d.compareTo(Duration.ofSeconds(1)) < 0
                        || d.compareTo(Duration.ofDays(1)) > 0) {
                    errors.add(new Violation("/polling/interval", "must be an ISO-8601 duration from PT1S to P1D"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new Violation("/polling/interval", "must be an ISO-8601 duration such as PT30S"));
            }
        }
        JsonNode pageSize = polling.get("pageSize");
        if (pageSize != null && (!pageSize.isIntegralNumber() || pageSize.asInt() < 1 || pageSize.asInt() > 1000)) {
            errors.add(new Violation("/polling/pageSize", "must be a whole number from 1 to 1000"));
        }
        return errors;
    }
}
