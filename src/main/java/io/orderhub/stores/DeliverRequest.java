package io.orderhub.stores;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code :deliver}: {@code {"lineItems": [{"lineItemId", "quantity"}]}}, or no body for everything still
 * open. Only its shape is checked here; whether the lines exist and the quantities fit is the operation's rule.
 *
 * @param quantities quantity to deliver per line id, in request order; null for "everything still open"
 */
public record DeliverRequest(Map<String, BigDecimal> quantities) {

    public boolean everything() {
        return quantities == null;
    }

    /** Parses the request body; an empty body or {@code {}} means everything still open. */
    public static DeliverRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new DeliverRequest(null);
        }
        JsonNode root = OrderJson.parse(body);
        List<Violation> violations = new ArrayList<>();
        if (!root.isObject()) {
            throw ProblemException.validation(List.of(new Violation("", "must be a JSON object")));
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!"lineItems".equals(name)) {
                violations.add(new Violation("/" + name, "is not a field of a deliver request"));
            }
        });
        JsonNode lines = root.get("lineItems");
        if (lines == null) {
            if (!violations.isEmpty()) {
                throw ProblemException.validation(violations);
            }
            return new DeliverRequest(null);
        }
        Map<String, BigDecimal> quantities = new LinkedHashMap<>();
        if (!lines.isArray()) {
            violations.add(new Violation("/lineItems", "must be an array"));
        } else if (lines.isEmpty()) {
            violations.add(new Violation("/lineItems", "must name at least one line (leave it out to deliver all)"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                String at = "/lineItems/" + i;
                JsonNode line = lines.get(i);
                if (!line.isObject()) {
                    violations.add(new Violation(at, "must be an object"));
                    continue;
                }
                line.fieldNames().forEachRemaining(name -> {
                    if (!"lineItemId".equals(name) && !"quantity".equals(name)) {
                        violations.add(new Violation(at + "/" + name, "is not a field of a deliver line"));
                    }
                });
                JsonNode id = line.get("lineItemId");
                JsonNode quantity = line.get("quantity");
                if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                    violations.add(new Violation(at + "/lineItemId", "is required (a non-empty string)"));
                } else if (!seen.add(id.asText())) {
                    violations.add(new Violation(at + "/lineItemId", "names line " + id.asText() + " twice"));
                }
                if (quantity == null || !quantity.isNumber()) {
                    violations.add(new Violation(at + "/quantity", "is required (a number)"));
                } else if (quantity.decimalValue().signum() <= 0) {
                    violations.add(new Violation(at + "/quantity", "must be greater than 0"));
                }
                if (id != null && id.isTextual() && quantity != null && quantity.isNumber()) {
                    quantities.putIfAbsent(id.asText(), quantity.decimalValue());
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations);
        }
        return new DeliverRequest(quantities);
    }
}
