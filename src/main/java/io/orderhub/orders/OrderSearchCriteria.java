package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.ops.ProblemException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A search request (api.md "Search") as validated filters: every field optional, all of them combined with AND.
 *
 * @param businessUnit    the {@code {bu}} of the path: only orders visible to it are searched
 * @param customerId      exact {@code customer.customerId}
 * @param orderCode       the code of one of the order's fulfilments, upper-cased
 * @param statuses        order statuses, any of them
 * @param fulfillmentStatuses  fulfilment statuses, any of them; with methods, on one and the same fulfilment
 * @param fulfillmentMethods   fulfilment methods, any of them; with statuses, on one and the same fulfilment
 * @param customerName    case-insensitive substring of {@code customer.name}
 * @param email           a fulfilment's delivery address email, trimmed and lower-cased
 * @param phone           a fulfilment's delivery address daytime phone number, trimmed and lower-cased
 * @param changedFrom     the hub changed the order at or after this time
 * @param changedTo       the hub changed the order before this time
 * @param skip            orders to skip, at least 0
 * @param take            orders to return, 1 to {@value #MAX_TAKE}
 */
public record OrderSearchCriteria(
        String businessUnit,
        String customerId,
        String orderCode,
        List<String> statuses,
        List<String> fulfillmentStatuses,
        List<String> fulfillmentMethods,
        String customerName,
        String email,
        String phone,
        OffsetDateTime changedFrom,
        OffsetDateTime changedTo,
        int skip,
        int take) {

    public static final int DEFAULT_TAKE = 20;
    public static final int MAX_TAKE = 200;
    /** Longer than any id, code, email or name the documents may hold; bounds the work one filter can ask for. */
    static final int MAX_TEXT = 256;

    static final List<String> ORDER_STATUSES = List.of("CREATED", "IN_PROGRESS", "CANCELLED", "FULFILLED");
    static final List<String> FULFILLMENT_STATUSES = List.of("CREATED", "READY_FOR_PICKUP", "CANCELLED", "FULFILLED");
    static final List<String> FULFILLMENT_METHODS =
            List.of("PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE", "HOME_DELIVERY_FROM_WAREHOUSE");

    private static final Set<String> FIELDS = Set.of(
            "customerId",
            "orderCode",
            "status",
            "fulfillmentStatus",
            "fulfillmentMethod",
            "customerName",
            "email",
            "phone",
            "changedFrom",
            "changedTo",
            "page");
    private static final Set<String> PAGE_FIELDS = Set.of("skip", "take");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    // RFC 3339 section 5.6: seconds and offset are required (java.time alone would also take "10:00" and no offset).
    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

    /**
     * Reads the search body (null or a missing node: no filters) for business unit {@code bu}; refuses with 400 naming
     * every violation at once.
     */
    public static OrderSearchCriteria parse(String bu, JsonNode body) {
        Reader r = new Reader();
        if (bu == null || !ID.matcher(bu).matches()) {
            r.violation("/path/bu", "must be 1-128 of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        JsonNode root = body == null || body.isMissingNode() ? OrderJson.MAPPER.createObjectNode() : body;
        if (!root.isObject()) {
            r.violation("", "must be a JSON object");
            throw ProblemException.validation(r.violations);
        }
        r.unknownFields(root, "", FIELDS);
        String customerId = r.text(root, "customerId");
        String orderCode = upper(r.text(root, "orderCode"));
        List<String> statuses = r.oneOfEach(root, "status", ORDER_STATUSES);
        List<String> fulfillmentStatuses = r.oneOfEach(root, "fulfillmentStatus", FULFILLMENT_STATUSES);
        List<String> fulfillmentMethods = r.oneOfEach(root, "fulfillmentMethod", FULFILLMENT_METHODS);
        String customerName = r.text(root, "customerName");
        String email = r.address(root, "email");
        String phone = r.address(root, "phone");
        OffsetDateTime changedFrom = r.time(root, "changedFrom");
        OffsetDateTime changedTo = r.time(root, "changedTo");
        if (changedFrom != null && changedTo != null && !changedTo.isAfter(changedFrom)) {
            r.violation("/changedTo", "must be later than changedFrom");
        }
        int skip = 0;
        int take = DEFAULT_TAKE;
        JsonNode page = root.get("page");
        if (page != null) {
            if (!page.isObject()) {
                r.violation("/page", "must be an object {\"skip\": 0, \"take\": " + DEFAULT_TAKE + "}");
            } else {
                r.unknownFields(page, "/page", PAGE_FIELDS);
                skip = r.integer(page, "/page/skip", "skip", 0, Integer.MAX_VALUE, skip);
                take = r.integer(page, "/page/take", "take", 1, MAX_TAKE, take);
            }
        }
        if (!r.violations.isEmpty()) {
            throw ProblemException.validation(r.violations);
        }
        return new OrderSearchCriteria(
                bu,
                customerId,
                orderCode,
                statuses,
                fulfillmentStatuses,
                fulfillmentMethods,
                customerName,
                email,
                phone,
                changedFrom,
                changedTo,
                skip,
                take);
    }

    private static String upper(String s) {
        // the hub mints codes in upper case; a code read out at the counter and typed in lower case is the same code
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** Collects the violations of one body while reading its fields. */
    private static final class Reader {
        final List<Violation> violations = new ArrayList<>();

        void violation(String pointer, String message) {
            violations.add(new Violation(pointer, message));
        }

        void unknownFields(JsonNode object, String pointer, Set<String> known) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    violation(
                            pointer + "/" + name.replace("~", "~0").replace("/", "~1"),
                            "is not allowed (unknown field)");
                }
            }
        }

        /** A present field that is a non-blank string of bounded length; records why not otherwise. */
        boolean textOk(JsonNode object, String field) {
            JsonNode value = object.get(field);
            if (!value.isTextual()) {
                // a present null is a value of the wrong type, as in order documents
                violation("/" + field, "must be a string");
                return false;
            }
            if (value.textValue().isBlank()) {
                violation("/" + field, "must not be blank (leave the field out to not filter by it)");
                return false;
            }
            if (value.textValue().length() > MAX_TEXT) {
                violation("/" + field, "must be at most " + MAX_TEXT + " characters");
                return false;
            }
            return true;
        }

        /** The trimmed text of an optional string field, or null when absent or invalid. */
        String text(JsonNode object, String field) {
            return object.has(field) && textOk(object, field)
                    ? object.get(field).textValue().trim()
                    : null;
        }

        /** An optional email or phone, normalised exactly as the stored delivery addresses were (OrderRepository). */
        String address(JsonNode object, String field) {
            return object.has(field) && textOk(object, field) ? OrderRepository.normalised(object.get(field)) : null;
        }

        /** An optional non-empty array of values from {@code allowed}; null when absent or invalid. */
        List<String> oneOfEach(JsonNode object, String field, List<String> allowed) {
            JsonNode value = object.get(field);
            if (value == null) {
                return null;
            }
            String choices = "must be one of " + String.join(", ", allowed);
            if (!value.isArray()) {
                violation("/" + field, "must be an array of values; each " + choices);
                return null;
            }
            if (value.isEmpty()) {
                violation("/" + field, "must list at least one value (leave the field out to not filter by it)");
                return null;
            }
            Set<String> values = new LinkedHashSet<>();
            int before = violations.size();
            for (int i = 0; i < value.size(); i++) {
                JsonNode v = value.get(i);
                if (v.isTextual() && allowed.contains(v.textValue())) {
                    values.add(v.textValue());
                } else {
                    violation("/" + field + "/" + i, choices);
                }
            }
            return violations.size() == before ? List.copyOf(values) : null;
        }

        /** An optional RFC 3339 date-time; null when absent or invalid. */
        OffsetDateTime time(JsonNode object, String field) {
            JsonNode value = object.get(field);
            if (value == null) {
                return null;
            }
            String message = "must be an RFC 3339 date-time, e.g. 2026-03-01T10:00:00Z";
            if (!value.isTextual() || !RFC_3339.matcher(value.textValue()).matches()) {
                violation("/" + field, message);
                return null;
            }
            try {
                return OffsetDateTime.parse(value.textValue().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // well-formed but not a real time, e.g. February 30th or hour 25
                violation("/" + field, message);
                return null;
            }
        }

        int integer(JsonNode object, String pointer, String field, int min, int max, int absent) {
            JsonNode value = object.get(field);
            if (value == null) {
                return absent;
            }
            if (!value.isIntegralNumber()
                    || !value.canConvertToInt()
                    || value.intValue() < min
                    || value.intValue() > max) {
                violation(
                        pointer,
                        max == Integer.MAX_VALUE
                                ? "must be an integer of at least " + min
                                : "must be an integer from " + min + " to " + max);
                return absent;
            }
            return value.intValue();
        }
    }
}
