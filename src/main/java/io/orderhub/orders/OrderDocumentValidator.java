package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Checks a customer order document ({@code {"customerOrder": {...}}}) and names every rule it breaks. */
@Component("orderDocumentValidator")
public class OrderDocumentValidator {

    /** Pointer of the order inside the document, for callers that validate the order on its own. */
    public static final String ORDER_POINTER = "/customerOrder";

    // ---------------------------------------------------------------------------------------------
    // The model. Each object type lists its fields exactly as the public v2 document defines them;
    // anything not listed is an unknown field. Leaf types come first because the containing types
    // refer to them.
    // ---------------------------------------------------------------------------------------------

    /** Identifiers we store and put into URLs and SQL keys: a safe alphabet, bounded length (project rule). */
    private static final Kind ID = pattern("^[A-Za-z0-9._-]{1,128}$");

    private static final ObjectType EXTERNAL_ID = ObjectType.named("ExternalId")
            .required("providerName", Kind.STRING)
            .required("id", Kind.STRING)
            .build();

    private static final ObjectType ORDER_STATUS = ObjectType.named("OrderStatus")
            .required("status", oneOf("CREATED", "IN_PROGRESS", "CANCELLED", "FULFILLED"))
            .required("changedDateTime", Kind.DATE_TIME)
            .build();

    private static final ObjectType LOYALTY = ObjectType.named("Loyalty")
            .required("loyaltyCustomerId", Kind.STRING)
            .optional("loyaltyProgramId", Kind.STRING)
            .optional("loyaltyCardNumber", Kind.STRING)
            .optional("bonusEligible", Kind.BOOLEAN)
            .build();

    private static final ObjectType QUANTITY = ObjectType.named("Quantity")
            .required("value", Kind.NUMBER)
            .optional(
                    "unitOfMeasure",
                    oneOf(
                            "EA", "CMK", "CMQ", "YDQ", "FTQ", "INQ", "CMT", "MTQ", "FOT", "GRM", "INH", "KGM", "LBR",
                            "LTR", "MMT", "MTR", "MMK", "OZI", "OZA", "FTK", "INK", "MTK", "YDK", "YRD"))
            .build();

    private static final ObjectType UNIT_DISCOUNT = ObjectType.named("UnitDiscount")
            .required(
                    "rewardType",
                    oneOf(
                            "GLOBAL_ABSOLUTE",
                            "NET_PRICE",
                            "PRICE_REDUCTION",
                            "COMBO_REDUCTION",
                            "COMBO",
                            "GLOBAL_PERCENTAGE",
                            "PERCENTAGE",
                            "COMBO_PERCENTAGE"))
            .required("discountId", Kind.STRING)
            .required("discountAmount", Kind.NUMBER)
            .required("discountText", Kind.STRING)
            .optional("discountPercentage", Kind.NUMBER)
            .build();

    /** A free key/value pair; the document calls the list of these "additionalProperties". */
    private static final ObjectType KEY_VALUE = ObjectType.named("AdditionalProperties")
            .required("key", Kind.STRING)
            .required("value", Kind.STRING)
            .build();

    private static final ObjectType LINE_ITEM = ObjectType.named("LineItem")
            .required("lineItemId", Kind.STRING)
            .optional("externalLineIds", arrayOf(EXTERNAL_ID))
            .required("itemId", Kind.STRING)
            .optional("itemType", oneOf("STOCK", "SERVICE", "MODEL", "DEPOSIT", "SERIALIZED"))
            .optional("itemName", Kind.STRING)
            .required("quantity", QUANTITY)
            .required("unitPrice", Kind.NUMBER)
            .optional("taxableGroupId", Kind.STRING)
            .optional("depositAndFeeRuleIds", arrayOf(Kind.STRING))
            .optional("itemCategoryId", Kind.STRING)
            .optional("groupId", Kind.STRING)
            .optional("requiredDownpaymentUnitAmount", Kind.NUMBER)
            .optional("paidDownpaymentUnitAmount", Kind.NUMBER)
            .optional("refundedDownpaymentTotalAmount", Kind.NUMBER)
            .optional("isSubsidized", Kind.BOOLEAN)
            .optional("isBonusEligible", Kind.BOOLEAN)
            .optional("cancelledQuantity", Kind.NUMBER)
            .optional("unitDiscounts", arrayOf(UNIT_DISCOUNT))
            .optional("additionalProperties", arrayOf(KEY_VALUE))
            .build();

    private static final ObjectType FULFILMENT_STATUS = ObjectType.named("FulfillmentStatus")
            .required("status", oneOf("CREATED", "READY_FOR_PICKUP", "CANCELLED", "FULFILLED"))
            .required("changedDateTime", Kind.DATE_TIME)
            .build();

    private static final ObjectType FULFILMENT_LINE_ITEM = ObjectType.named("FulfillmentLineItem")
            .required("lineItemId", Kind.STRING)
            .required("itemId", Kind.STRING)
            .required("orderedQuantity", Kind.NUMBER)
            .required("quantity", Kind.NUMBER)
            .optional("substituteOfLineItemId", Kind.STRING)
            .optional("readyForPickupDateTime", Kind.DATE_TIME)
            .required("status", FULFILMENT_STATUS)
            .build();

    private static final ObjectType ADDRESS = ObjectType.named("Address")
            .required("name", Kind.STRING)
            .required("line1", Kind.STRING)
            .optional("streetNumber", Kind.STRING)
            .optional("apartmentNumber", Kind.STRING)
            .required("city", Kind.STRING)
            .required("countryCode", pattern("^[A-Z]{2}$"))
            .required("postalCode", Kind.STRING)
            .optional("daytimePhoneNumber", Kind.STRING)
            .optional("eveningPhoneNumber", Kind.STRING)
            .optional("email", Kind.EMAIL)
            .build();

    private static final ObjectType FULFILMENT_TENDER_LINE_ITEM = ObjectType.named("FulfillmentTenderLineItem")
            .required("tenderLineItemId", Kind.STRING)
            .required("allocatedAmount", Kind.NUMBER)
            .build();

    private static final ObjectType FULFILMENT = ObjectType.named("Fulfillment")
            .required("fulfillmentId", ID)
            .optional("externalFulfillmentIds", arrayOf(EXTERNAL_ID))
            .optional("fulfillmentMethodId", Kind.STRING)
            .required(
                    "fulfillmentMethod",
                    oneOf("PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE", "HOME_DELIVERY_FROM_WAREHOUSE"))
            .optional("fulfillmentBusinessUnitId", ID)
            .required("status", FULFILMENT_STATUS)
            .optional("shipmentTrackingNumber", Kind.STRING)
            .optional("shipmentTrackingLink", Kind.STRING)
            .required("lineItems", arrayOf(FULFILMENT_LINE_ITEM))
            .optional("tenderLineItems", arrayOf(FULFILMENT_TENDER_LINE_ITEM))
            .optional("deliveryAddress", ADDRESS)
            .optional("pickupDatetime", Kind.DATE_TIME)
            .optional("orderCode", pattern("^C[0-9A-HJKMNP-TV-Z]{6}$"))
            // Project rule: a store that fulfils must be named, or we cannot route the work to it.
            .requiredWhen(
                    "fulfillmentBusinessUnitId",
                    "fulfillmentMethod",
                    Set.of("PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE"),
                    "is required for store-fulfilled fulfilments")
            .build();

    private static final ObjectType CUSTOMER = ObjectType.named("Customer")
            .optional("customerId", Kind.STRING)
            .optional("externalCustomerIds", arrayOf(EXTERNAL_ID))
            .optional("accountNumber", Kind.STRING)
            .optional("name", Kind.STRING)
            .optional("address", ADDRESS)
            .optional("territory", Kind.STRING)
            .build();

    private static final ObjectType PROVIDER_INFO = ObjectType.named("ProviderInfo")
            .required("providerId", Kind.STRING)
            .required("terminalId", Kind.STRING)
            .required("merchantId", Kind.STRING)
            .build();

    private static final ObjectType CARD_INFO = ObjectType.named("CardInfo")
            .optional("accountNumber", Kind.STRING)
            .optional("expirationDate", Kind.DATE_TIME)
            .optional("cardNumberAlias", Kind.STRING)
            .build();

    private static final ObjectType GIFT_CARD_TYPE = ObjectType.named("GiftCardType")
            .required("id", Kind.STRING)
            .required("cardProductName", Kind.STRING)
            .optional("virtualFlag", Kind.BOOLEAN)
            .optional("cardTypeCode", Kind.STRING)
            .build();

    private static final ObjectType GIFT_CARD_INFO = ObjectType.named("GiftCardInfo")
            .optional("currentBalance", Kind.NUMBER)
            .required("giftCardActionType", oneOf("REDEEM", "ACTIVATE", "RECHARGE", "BALANCE_INQUIRY"))
            .optional("giftCardType", GIFT_CARD_TYPE)
            .build();

    private static final ObjectType AUTHORIZATION_DATA = ObjectType.named("AuthorizationData")
            .optional("authorizationDataId", Kind.STRING)
            .optional("externalAuthorizationIds", arrayOf(EXTERNAL_ID))
            .required("success", Kind.BOOLEAN)
            .optional("authorizationCode", Kind.STRING)
            .required("transactionType", oneOf("PURCHASE", "RESERVATION", "CAPTURE", "REFUND"))
            .optional("verificationMethod", Kind.STRING)
            .optional("authorizationMethod", Kind.STRING)
            .required("date", Kind.DATE_TIME)
            .required("amount", Kind.NUMBER)
            .optional("referenceNumber", Kind.STRING)
            .optional("providerInfo", PROVIDER_INFO)
            .optional("cardInfo", CARD_INFO)
            .optional("giftCardInfo", GIFT_CARD_INFO)
            .optional("merchantReceiptText", Kind.STRING)
            .optional("cardHolderReceiptText", Kind.STRING)
            .build();

    private static final ObjectType TENDER = ObjectType.named("Tender")
            .required("tenderLineItemId", Kind.STRING)
            .required("tenderId", Kind.STRING)
            .optional("externalTenderIds", arrayOf(EXTERNAL_ID))
            .optional("customerAccountId", Kind.STRING)
            .required("amount", Kind.NUMBER)
            .optional("authorizationData", AUTHORIZATION_DATA)
            .optional("additionalProperties", arrayOf(KEY_VALUE))
            .build();

    private static final ObjectType CUSTOMER_ORDER = ObjectType.named("CustomerOrder")
            .required("customerOrderId", ID)
            .optional("externalCustomerOrderIds", arrayOf(EXTERNAL_ID))
            .required("status", ORDER_STATUS)
            .required("currencyId", pattern("^[A-Z]{3}$"))
            .optional("orderOrigin", Kind.STRING)
            .optional("businessUnitId", ID)
            .optional("cartId", Kind.STRING)
            .optional("cartName", Kind.STRING)
            .optional("operatorId", Kind.STRING)
            .optional("isReadOnly", Kind.BOOLEAN)
            .optional("loyalty", LOYALTY)
            .required("items", arrayOf(LINE_ITEM))
            .required("fulfillments", arrayOf(FULFILMENT))
            .optional("tenders", arrayOf(TENDER))
            .optional("customer", CUSTOMER)
            .optional("projectId", Kind.STRING)
            .build();

    private static final ObjectType DOCUMENT = ObjectType.named("CustomerOrderUpdate")
            .required("customerOrder", CUSTOMER_ORDER)
            .build();

    // ---------------------------------------------------------------------------------------------
    // Entry points
    // ---------------------------------------------------------------------------------------------

    /**
     * Validates a whole document; an empty list means it is valid.
     *
     * @param root the parsed body, expected to be {@code {"customerOrder": {...}}}; {@code null} counts as absent
     * @return every violation found, in document-walk order
     */
    public List<Violation> validate(JsonNode root) {
        return run(DOCUMENT, root, "");
    }

    /**
     * Validates just the order object, reporting pointers under {@code pointerPrefix}
     * (use {@link #ORDER_POINTER} when the order came out of a full document).
     */
    public List<Violation> validateOrder(JsonNode customerOrder, String pointerPrefix) {
        return run(CUSTOMER_ORDER, customerOrder, pointerPrefix == null ? "" : pointerPrefix);
    }

    private static List<Violation> run(Kind kind, JsonNode value, String pointer) {
        List<Violation> violations = new ArrayList<>();
        kind.check(value == null ? MissingNode.getInstance() : value, pointer, violations);
        return List.copyOf(violations);
    }

    // ---------------------------------------------------------------------------------------------
    // The vocabulary the model is written in, and the one walker (ObjectType.check + arrayOf).
    // ---------------------------------------------------------------------------------------------

    /** What a value must look like; checking appends to {@code out} rather than stopping at the first problem. */
    @FunctionalInterface
    private interface Kind {
        void check(JsonNode value, String pointer, List<Violation> out);

        Kind STRING = text(s -> null);
        // isNumber covers ints, longs, big integers and decimals alike; a numeric string is not a number.
        Kind NUMBER = (value, pointer, out) -> {
            if (!value.isNumber()) {
                out.add(new Violation(pointer, "must be a number"));
            }
        };
        Kind BOOLEAN = (value, pointer, out) -> {
            if (!value.isBoolean()) {
                out.add(new Violation(pointer, "must be a boolean"));
            }
        };
        Kind DATE_TIME = text(s -> Rfc3339.isDateTime(s) ? null : "must be an RFC 3339 date-time");
        Kind EMAIL = text(s -> EmailAddress.isWellFormed(s) ? null : "must be a valid email address");
    }

    /** A string value, further checked by {@code problem}, which returns null when the text is fine. */
    private static Kind text(Function<String, String> problem) {
        return (value, pointer, out) -> {
            if (!value.isTextual()) {
                out.add(new Violation(pointer, "must be a string"));
                return;
            }
            String message = problem.apply(value.textValue());
            if (message != null) {
                out.add(new Violation(pointer, message));
            }
        };
    }

    /** A string from a closed list; one message covers wrong type and wrong value, and names the choices. */
    private static Kind oneOf(String... allowed) {
        Set<String> values = new LinkedHashSet<>(List.of(allowed));
        String message = "must be one of " + String.join(", ", values);
        return (value, pointer, out) -> {
            if (!value.isTextual() || !values.contains(value.textValue())) {
                out.add(new Violation(pointer, message));
            }
        };
    }

    /**
     * A string matching {@code regex}. The regexes here are anchored ({@code ^...$}); matching the whole
     * input also keeps Java's {@code $} from accepting a trailing newline, which ECMA-262 (JSON Schema) rejects.
     */
    private static Kind pattern(String regex) {
        Pattern compiled = Pattern.compile(regex);
        return text(s -> compiled.matcher(s).matches() ? null : "must match " + regex);
    }

    /** An array whose every element is checked against {@code element}. */
    private static Kind arrayOf(Kind element) {
        return (value, pointer, out) -> {
            if (!value.isArray()) {
                out.add(new Violation(pointer, "must be an array"));
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                element.check(value.get(i), pointer + "/" + i, out);
            }
        };
    }

    /** RFC 6901: '~' and '/' inside a member name must be escaped, in this order. */
    private static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    private record Field(Kind kind, boolean required) {}

    /** A field that becomes required when a sibling field holds one of some values. */
    private record ConditionalRequirement(String field, String whenField, Set<String> whenValues, String message) {}

    /** A closed JSON object: declared fields only, each with its kind, plus conditional requirements. */
    private static final class ObjectType implements Kind {
        private final String name;
        private final Map<String, Field> fields;
        private final List<ConditionalRequirement> conditions;

        private ObjectType(String name, Map<String, Field> fields, List<ConditionalRequirement> conditions) {
            this.name = name;
            this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            this.conditions = List.copyOf(conditions);
        }

        static Builder named(String name) {
            return new Builder(name);
        }

        @Override
        public void check(JsonNode value, String pointer, List<Violation> out) {
            if (!value.isObject()) {
                out.add(new Violation(pointer, "must be an object"));
                return;
            }
            fields.forEach((fieldName, field) -> {
                JsonNode fieldValue = value.get(fieldName);
                if (fieldValue == null) {
                    if (field.required()) {
                        out.add(new Violation(child(pointer, fieldName), "is required"));
                    }
                } else {
                    // A present null is still a value of the wrong type, not a missing field.
                    field.kind().check(fieldValue, child(pointer, fieldName), out);
                }
            });
            for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                String fieldName = names.next();
                if (!fields.containsKey(fieldName)) {
                    out.add(new Violation(child(pointer, fieldName), "is not allowed (unknown field)"));
                }
            }
            for (ConditionalRequirement condition : conditions) {
                JsonNode trigger = value.get(condition.whenField());
                if (trigger != null
                        && trigger.isTextual()
                        && condition.whenValues().contains(trigger.textValue())
                        && !value.has(condition.field())) {
                    out.add(new Violation(child(pointer, condition.field()), condition.message()));
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }

        /** Collects fields in document order so violations come out in the order a reader expects. */
        static final class Builder {
            private final String name;
            private final Map<String, Field> fields = new LinkedHashMap<>();
            private final List<ConditionalRequirement> conditions = new ArrayList<>();

            private Builder(String name) {
                this.name = name;
            }

            Builder required(String field, Kind kind) {
                return add(field, new Field(kind, true));
            }

            Builder optional(String field, Kind kind) {
                return add(field, new Field(kind, false));
            }

            Builder requiredWhen(String field, String whenField, Set<String> whenValues, String message) {
                if (!fields.containsKey(field) || !fields.containsKey(whenField)) {
                    throw new IllegalStateException(name + ": declare " + field + " and " + whenField + " first");
                }
                conditions.add(new ConditionalRequirement(field, whenField, Set.copyOf(whenValues), message));
                return this;
            }

            ObjectType build() {
                return new ObjectType(name, fields, conditions);
            }

            private Builder add(String field, Field definition) {
                if (fields.putIfAbsent(field, definition) != null) {
                    throw new IllegalStateException(name + ": field " + field + " declared twice");
                }
                return this;
            }
        }
    }

    /** True when {@code text} is an RFC 3339 date-time as the hub requires it (also used for the Event-Time header). */
    public static boolean isRfc3339DateTime(String text) {
        return text != null && Rfc3339.isDateTime(text);
    }

    // ---------------------------------------------------------------------------------------------
    // Formats the public schema names but does not define; these are the project's definitions.
    // ---------------------------------------------------------------------------------------------

    /** RFC 3339 section 5.6 {@code date-time}: full date, 'T', full time with seconds, mandatory offset. */
    private static final class Rfc3339 {
        // RFC 3339 allows lower-case 't' and 'z' (section 5.6 note); a space separator is not accepted.
        private static final Pattern DATE_TIME = Pattern.compile(
                "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))");

        private Rfc3339() {}

        static boolean isDateTime(String text) {
            Matcher m = DATE_TIME.matcher(text);
            if (!m.matches()) {
                return false;
            }
            int year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(2));
            int day = Integer.parseInt(m.group(3));
            int hour = Integer.parseInt(m.group(4));
            int minute = Integer.parseInt(m.group(5));
            int second = Integer.parseInt(m.group(6));
            if (month < 1
                    || month > 12
                    || day < 1
                    || day > YearMonth.of(year, month).lengthOfMonth()) {
                return false;
            }
            if (hour > 23 || minute > 59 || second > 60) {
                return false;
            }
            int offsetMinutes = 0;
            if (m.group(7) != null) {
                int offsetHour = Integer.parseInt(m.group(8));
                int offsetMinute = Integer.parseInt(m.group(9));
                if (offsetHour > 23 || offsetMinute > 59) {
                    return false;
                }
                offsetMinutes = (m.group(7).equals("+") ? 1 : -1) * (offsetHour * 60 + offsetMinute);
            }
            // A leap second can only be the last second of a UTC day, i.e. 23:59:60 once the offset is removed.
            return second < 60 || Math.floorMod(hour * 60 + minute - offsetMinutes, 24 * 60) == 23 * 60 + 59;
        }
    }

    /**
     * A pragmatic RFC 5322 {@code addr-spec}: a dot-atom or quoted-string local part, '@', and a domain of
     * LDH labels. Comments, folding white space, domain literals and non-ASCII (SMTPUTF8) addresses are
     * rejected on purpose: no store or carrier system downstream accepts them. Length limits are RFC 5321's.
     */
    private static final class EmailAddress {
        private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
        private static final Pattern DOT_ATOM_LOCAL = Pattern.compile(ATEXT + "+(?:\\." + ATEXT + "+)*");
        // qtext (printable ASCII except '"' and '\') and space, or a backslash-quoted printable character.
        private static final Pattern QUOTED_LOCAL =
                Pattern.compile("\"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*\"");
        private static final Pattern DOMAIN = Pattern.compile(
                "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

        private EmailAddress() {}

        static boolean isWellFormed(String text) {
            // The domain can never contain '@' but a quoted local part can, so split at the last one.
            int at = text.lastIndexOf('@');
            if (at <= 0) {
                return false;
            }
            String local = text.substring(0, at);
            String domain = text.substring(at + 1);
            return local.length() <= 64
                    && (DOT_ATOM_LOCAL.matcher(local).matches()
                            || QUOTED_LOCAL.matcher(local).matches())
                    && domain.length() <= 253
                    && DOMAIN.matcher(domain).matches();
        }
    }
}
