package io.orderhub.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderDocumentValidatorTest {

    /** Maven runs tests from /work/main, so this is /work/shared/reference/... */
    private static final Path PUBLIC_SCHEMA =
            Path.of("..", "shared", "reference", "cor.public.event.customer-order-updates.v2.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderDocumentValidator validator = new OrderDocumentValidator();

    // ---------------------------------------------------------------------------------------------
    // Sample documents (invented data)
    // ---------------------------------------------------------------------------------------------

    /** Only what is required, with a warehouse fulfilment so no store business unit is needed. */
    private static ObjectNode minimalOrder() {
        return parse(
                """
                {
                  "customerOrder": {
                    "customerOrderId": "O-1001",
                    "status": { "status": "CREATED", "changedDateTime": "2026-01-31T10:00:00Z" },
                    "currencyId": "EUR",
                    "items": [
                      { "lineItemId": "LI-1", "itemId": "ITEM-100", "quantity": { "value": 1 }, "unitPrice": 9.99 }
                    ],
                    "fulfillments": [
                      {
                        "fulfillmentId": "F-1",
                        "fulfillmentMethod": "HOME_DELIVERY_FROM_WAREHOUSE",
                        "status": { "status": "CREATED", "changedDateTime": "2026-01-31T10:00:00Z" },
                        "lineItems": [
                          {
                            "lineItemId": "LI-1", "itemId": "ITEM-100", "orderedQuantity": 1, "quantity": 0,
                            "status": { "status": "CREATED", "changedDateTime": "2026-01-31T10:00:00Z" }
                          }
                        ]
                      }
                    ]
                  }
                }
                """);
    }

    /** Every optional field of every object type, each present at least once. */
    private static ObjectNode fullOrder() {
        return parse(
                """
                {
                  "customerOrder": {
                    "customerOrderId": "O-1002",
                    "externalCustomerOrderIds": [ { "providerName": "webshop", "id": "WS-77" } ],
                    "status": { "status": "IN_PROGRESS", "changedDateTime": "2026-01-31T10:00:00.123+01:00" },
                    "currencyId": "EUR",
                    "orderOrigin": "WEB",
                    "businessUnitId": "S1",
                    "cartId": "CART-9",
                    "cartName": "Weekend garden project",
                    "operatorId": "OP-3",
                    "isReadOnly": false,
                    "loyalty": {
                      "loyaltyCustomerId": "L-55", "loyaltyProgramId": "GREEN-CLUB",
                      "loyaltyCardNumber": "600123400", "bonusEligible": true
                    },
                    "items": [
                      {
                        "lineItemId": "LI-1",
                        "externalLineIds": [ { "providerName": "webshop", "id": "WS-77-1" } ],
                        "itemId": "ITEM-100",
                        "itemType": "STOCK",
                        "itemName": "Garden hose 20 m",
                        "quantity": { "value": 2, "unitOfMeasure": "EA" },
                        "unitPrice": 24.95,
                        "taxableGroupId": "TG-STD",
                        "depositAndFeeRuleIds": [ "DEP-1", "FEE-2" ],
                        "itemCategoryId": "CAT-GARDEN",
                        "groupId": "G-1",
                        "requiredDownpaymentUnitAmount": 5,
                        "paidDownpaymentUnitAmount": 5.0,
                        "refundedDownpaymentTotalAmount": 0,
                        "isSubsidized": false,
                        "isBonusEligible": true,
                        "cancelledQuantity": 0,
                        "unitDiscounts": [
                          {
                            "rewardType": "PERCENTAGE", "discountId": "D-10", "discountAmount": 2.5,
                            "discountText": "10% off garden", "discountPercentage": 10
                          }
                        ],
                        "additionalProperties": [ { "key": "giftWrap", "value": "yes" } ]
                      },
                      {
                        "lineItemId": "LI-2", "itemId": "ITEM-200", "quantity": { "value": 1.5, "unitOfMeasure": "MTR" },
                        "unitPrice": 3
                      }
                    ],
                    "fulfillments": [
                      {
                        "fulfillmentId": "F-1",
                        "externalFulfillmentIds": [ { "providerName": "store-pos", "id": "POS-5" } ],
                        "fulfillmentMethodId": "PICKUP-STD",
                        "fulfillmentMethod": "PICKUP_IN_STORE",
                        "fulfillmentBusinessUnitId": "S1",
                        "status": { "status": "READY_FOR_PICKUP", "changedDateTime": "2026-02-01T08:30:00Z" },
                        "shipmentTrackingNumber": "TRK-1",
                        "shipmentTrackingLink": "https://tracking.example.com/TRK-1",
                        "lineItems": [
                          {
                            "lineItemId": "LI-1", "itemId": "ITEM-100", "orderedQuantity": 2, "quantity": 2,
                            "substituteOfLineItemId": "LI-0",
                            "readyForPickupDateTime": "2026-02-01T08:30:00Z",
                            "status": { "status": "READY_FOR_PICKUP", "changedDateTime": "2026-02-01T08:30:00Z" }
                          }
                        ],
                        "tenderLineItems": [ { "tenderLineItemId": "TL-1", "allocatedAmount": 44.9 } ],
                        "deliveryAddress": {
                          "name": "Ana Example", "line1": "Main Street", "streetNumber": "12", "apartmentNumber": "3B",
                          "city": "Springfield", "countryCode": "DE", "postalCode": "12345",
                          "daytimePhoneNumber": "+49 30 1234567", "eveningPhoneNumber": "+49 30 7654321",
                          "email": "ana@example.com"
                        },
                        "pickupDatetime": "2026-02-02T16:00:00+01:00",
                        "orderCode": "C7K2M9Q"
                      },
                      {
                        "fulfillmentId": "F-2",
                        "fulfillmentMethod": "HOME_DELIVERY_FROM_STORE",
                        "fulfillmentBusinessUnitId": "S2",
                        "status": { "status": "CREATED", "changedDateTime": "2026-02-01T09:00:00-05:00" },
                        "lineItems": [
                          {
                            "lineItemId": "LI-2", "itemId": "ITEM-200", "orderedQuantity": 1.5, "quantity": 0,
                            "status": { "status": "CREATED", "changedDateTime": "2026-02-01T09:00:00-05:00" }
                          }
                        ]
                      }
                    ],
                    "tenders": [
                      {
                        "tenderLineItemId": "TL-1",
                        "tenderId": "CARD",
                        "externalTenderIds": [ { "providerName": "psp", "id": "PSP-888" } ],
                        "customerAccountId": "ACC-1",
                        "amount": 44.9,
                        "authorizationData": {
                          "authorizationDataId": "AUTH-1",
                          "externalAuthorizationIds": [ { "providerName": "psp", "id": "PSP-AUTH-1" } ],
                          "success": true,
                          "authorizationCode": "A1B2C3",
                          "transactionType": "RESERVATION",
                          "verificationMethod": "PIN",
                          "authorizationMethod": "ONLINE",
                          "date": "2026-01-31T10:01:00Z",
                          "amount": 44.9,
                          "referenceNumber": "REF-42",
                          "providerInfo": { "providerId": "psp", "terminalId": "T-7", "merchantId": "M-1" },
                          "cardInfo": {
                            "accountNumber": "************4242",
                            "expirationDate": "2028-12-31T23:59:59Z",
                            "cardNumberAlias": "alias-4242"
                          },
                          "giftCardInfo": {
                            "currentBalance": 15.1,
                            "giftCardActionType": "REDEEM",
                            "giftCardType": {
                              "id": "GC-1", "cardProductName": "Garden gift card", "virtualFlag": false, "cardTypeCode": "GCP"
                            }
                          },
                          "merchantReceiptText": "MERCHANT COPY",
                          "cardHolderReceiptText": "CUSTOMER COPY"
                        },
                        "additionalProperties": [ { "key": "channel", "value": "web" } ]
                      }
                    ],
                    "customer": {
                      "customerId": "C-9",
                      "externalCustomerIds": [ { "providerName": "crm", "id": "CRM-9" } ],
                      "accountNumber": "ACC-9",
                      "name": "Ana Example",
                      "address": {
                        "name": "Ana Example", "line1": "Main Street", "streetNumber": "12", "apartmentNumber": "3B",
                        "city": "Springfield", "countryCode": "DE", "postalCode": "12345",
                        "daytimePhoneNumber": "+49 30 1234567", "eveningPhoneNumber": "+49 30 7654321",
                        "email": "ana.example+orders@mail.example.org"
                      },
                      "territory": "NORTH"
                    },
                    "projectId": "P-7"
                  }
                }
                """);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test fixture", e);
        }
    }

    /** A copy of {@code base} changed by {@code change}, so each case states only its difference. */
    private static ObjectNode with(ObjectNode base, Consumer<ObjectNode> change) {
        ObjectNode copy = base.deepCopy();
        change.accept(copy);
        return copy;
    }

    /** The object at {@code pointer} inside {@code doc}, for in-place edits. */
    private static ObjectNode obj(JsonNode doc, String pointer) {
        JsonNode node = doc.at(pointer);
        assertThat(node.isObject()).as("fixture has an object at %s", pointer).isTrue();
        return (ObjectNode) node;
    }

    private static ObjectNode order(JsonNode doc) {
        return obj(doc, "/customerOrder");
    }

    private List<Violation> violationsOf(JsonNode doc) {
        return validator.validate(doc);
    }

    // ---------------------------------------------------------------------------------------------
    // Behaviour
    // ---------------------------------------------------------------------------------------------

    @Test
    void acceptsMinimalOrder() {
        assertThat(violationsOf(minimalOrder())).isEmpty();
    }

    @Test
    void acceptsFullyPopulatedOrder() {
        assertThat(violationsOf(fullOrder())).isEmpty();
    }

    @Test
    void acceptsEmptyItemAndFulfilmentLists() {
        ObjectNode doc = with(minimalOrder(), d -> {
            order(d).putArray("items");
            order(d).putArray("fulfillments");
        });
        assertThat(violationsOf(doc)).isEmpty();
    }

    @Test
    void namesEveryViolationNotJustTheFirst() {
        ObjectNode doc = with(minimalOrder(), d -> {
            order(d).remove("customerOrderId");
            order(d).put("currencyId", "euro");
            obj(d, "/customerOrder/items/0/quantity").put("value", "1");
            obj(d, "/customerOrder/fulfillments/0").put("fulfillmentMethod", "DRONE");
            obj(d, "/customerOrder/fulfillments/0/lineItems/0/status").put("changedDateTime", "2026-01-31");
            order(d).put("colour", "blue");
        });

        assertThat(violationsOf(doc))
                .containsExactlyInAnyOrder(
                        new Violation("/customerOrder/customerOrderId", "is required"),
                        new Violation("/customerOrder/currencyId", "must match ^[A-Z]{3}$"),
                        new Violation("/customerOrder/items/0/quantity/value", "must be a number"),
                        new Violation(
                                "/customerOrder/fulfillments/0/fulfillmentMethod",
                                "must be one of PICKUP_IN_STORE, HOME_DELIVERY_FROM_STORE, HOME_DELIVERY_FROM_WAREHOUSE"),
                        new Violation(
                                "/customerOrder/fulfillments/0/lineItems/0/status/changedDateTime",
                                "must be an RFC 3339 date-time"),
                        new Violation("/customerOrder/colour", "is not allowed (unknown field)"));
    }

    @Test
    void unknownEnumNamesAllowedValues() {
        ObjectNode doc =
                with(minimalOrder(), d -> obj(d, "/customerOrder/status").put("status", "SHIPPED"));

        assertThat(violationsOf(doc))
                .containsExactly(new Violation(
                        "/customerOrder/status/status", "must be one of CREATED, IN_PROGRESS, CANCELLED, FULFILLED"));
    }

    @Test
    void enumValuesAreCaseSensitive() {
        ObjectNode doc = with(
                minimalOrder(), d -> obj(d, "/customerOrder/items/0/quantity").put("unitOfMeasure", "ea"));

        assertThat(violationsOf(doc))
                .extracting(Violation::pointer)
                .containsExactly("/customerOrder/items/0/quantity/unitOfMeasure");
    }

    @Test
    void rejectsUnknownFieldsAtEveryLevel() {
        ObjectNode doc = with(fullOrder(), d -> {
            d.put("meta", 1);
            order(d).put("notes", "x");
            obj(d, "/customerOrder/status").put("reason", "x");
            obj(d, "/customerOrder/loyalty").put("tier", "x");
            obj(d, "/customerOrder/items/0").put("colour", "x");
            obj(d, "/customerOrder/items/0/quantity").put("precision", 2);
            obj(d, "/customerOrder/items/0/unitDiscounts/0").put("x", 1);
            obj(d, "/customerOrder/items/0/additionalProperties/0").put("x", 1);
            obj(d, "/customerOrder/items/0/externalLineIds/0").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0/status").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0/lineItems/0").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0/lineItems/0/status").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0/tenderLineItems/0").put("x", 1);
            obj(d, "/customerOrder/fulfillments/0/deliveryAddress").put("x", 1);
            obj(d, "/customerOrder/tenders/0").put("x", 1);
            obj(d, "/customerOrder/tenders/0/authorizationData").put("x", 1);
            obj(d, "/customerOrder/tenders/0/authorizationData/providerInfo").put("x", 1);
            obj(d, "/customerOrder/tenders/0/authorizationData/cardInfo").put("x", 1);
            obj(d, "/customerOrder/tenders/0/authorizationData/giftCardInfo").put("x", 1);
            obj(d, "/customerOrder/tenders/0/authorizationData/giftCardInfo/giftCardType")
                    .put("x", 1);
            obj(d, "/customerOrder/customer").put("x", 1);
            obj(d, "/customerOrder/customer/address").put("x", 1);
        });

        List<Violation> violations = violationsOf(doc);

        assertThat(violations).extracting(Violation::message).containsOnly("is not allowed (unknown field)");
        assertThat(violations)
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder(
                        "/meta",
                        "/customerOrder/notes",
                        "/customerOrder/status/reason",
                        "/customerOrder/loyalty/tier",
                        "/customerOrder/items/0/colour",
                        "/customerOrder/items/0/quantity/precision",
                        "/customerOrder/items/0/unitDiscounts/0/x",
                        "/customerOrder/items/0/additionalProperties/0/x",
                        "/customerOrder/items/0/externalLineIds/0/x",
                        "/customerOrder/fulfillments/0/x",
                        "/customerOrder/fulfillments/0/status/x",
                        "/customerOrder/fulfillments/0/lineItems/0/x",
                        "/customerOrder/fulfillments/0/lineItems/0/status/x",
                        "/customerOrder/fulfillments/0/tenderLineItems/0/x",
                        "/customerOrder/fulfillments/0/deliveryAddress/x",
                        "/customerOrder/tenders/0/x",
                        "/customerOrder/tenders/0/authorizationData/x",
                        "/customerOrder/tenders/0/authorizationData/providerInfo/x",
                        "/customerOrder/tenders/0/authorizationData/cardInfo/x",
                        "/customerOrder/tenders/0/authorizationData/giftCardInfo/x",
                        "/customerOrder/tenders/0/authorizationData/giftCardInfo/giftCardType/x",
                        "/customerOrder/customer/x",
                        "/customerOrder/customer/address/x");
    }

    @Test
    void escapesPointerTokensOfUnknownFields() {
        ObjectNode doc = with(minimalOrder(), d -> order(d).put("a/b~c", 1));

        assertThat(violationsOf(doc))
                .containsExactly(new Violation("/customerOrder/a~1b~0c", "is not allowed (unknown field)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE"})
    void storeFulfilmentWithoutBusinessUnitIsRejected(String method) {
        ObjectNode doc = with(
                minimalOrder(), d -> obj(d, "/customerOrder/fulfillments/0").put("fulfillmentMethod", method));

        assertThat(violationsOf(doc))
                .containsExactly(new Violation(
                        "/customerOrder/fulfillments/0/fulfillmentBusinessUnitId",
                        "is required for store-fulfilled fulfilments"));
    }

    @Test
    void storeFulfilmentWithBusinessUnitIsAccepted() {
        ObjectNode doc = with(minimalOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("fulfillmentMethod", "PICKUP_IN_STORE")
                .put("fulfillmentBusinessUnitId", "S1"));

        assertThat(violationsOf(doc)).isEmpty();
    }

    @Test
    void warehouseFulfilmentNeedsNoBusinessUnit() {
        assertThat(obj(minimalOrder(), "/customerOrder/fulfillments/0").has("fulfillmentBusinessUnitId"))
                .isFalse();
        assertThat(violationsOf(minimalOrder())).isEmpty();
    }

    @Test
    void rejectsStringWhereNumberExpected() {
        ObjectNode doc = with(minimalOrder(), d -> {
            obj(d, "/customerOrder/items/0/quantity").put("value", "2");
            obj(d, "/customerOrder/items/0").put("unitPrice", "9.99");
        });

        assertThat(violationsOf(doc))
                .containsExactly(
                        new Violation("/customerOrder/items/0/quantity/value", "must be a number"),
                        new Violation("/customerOrder/items/0/unitPrice", "must be a number"));
    }

    @Test
    void acceptsIntegersDecimalsAndBigNumbersAsNumbers() {
        ObjectNode doc = with(minimalOrder(), d -> {
            obj(d, "/customerOrder/items/0/quantity").put("value", 3);
            obj(d, "/customerOrder/items/0").put("unitPrice", new BigDecimal("123456789012345678901234567890.5"));
            obj(d, "/customerOrder/fulfillments/0/lineItems/0")
                    .put("orderedQuantity", 2.75d)
                    .put("quantity", -1L);
        });

        assertThat(violationsOf(doc)).isEmpty();
    }

    @Test
    void rejectsWrongScalarTypes() {
        ObjectNode doc = with(minimalOrder(), d -> {
            order(d).put("isReadOnly", "true");
            order(d).put("cartId", 42);
            obj(d, "/customerOrder/items/0").put("lineItemId", 1).putNull("itemName");
        });

        assertThat(violationsOf(doc))
                .containsExactlyInAnyOrder(
                        new Violation("/customerOrder/isReadOnly", "must be a boolean"),
                        new Violation("/customerOrder/cartId", "must be a string"),
                        new Violation("/customerOrder/items/0/lineItemId", "must be a string"),
                        new Violation("/customerOrder/items/0/itemName", "must be a string"));
    }

    @Test
    void rejectsWrongContainerTypes() {
        ObjectNode doc = with(minimalOrder(), d -> {
            order(d).put("status", "CREATED");
            order(d).putObject("items");
            order(d).putArray("fulfillments").add("F-1");
            obj(d, "/customerOrder").putArray("tenders");
            obj(d, "/customerOrder").putArray("customer");
        });

        assertThat(violationsOf(doc))
                .containsExactlyInAnyOrder(
                        new Violation("/customerOrder/status", "must be an object"),
                        new Violation("/customerOrder/items", "must be an array"),
                        new Violation("/customerOrder/fulfillments/0", "must be an object"),
                        new Violation("/customerOrder/customer", "must be an object"));
    }

    @Test
    void reportsEveryMissingRequiredField() {
        ObjectNode doc = parse(
                """
                { "customerOrder": { "items": [ {} ], "fulfillments": [ { "lineItems": [ {} ] } ] } }
                """);

        assertThat(violationsOf(doc))
                .extracting(Violation::toString)
                .containsExactlyInAnyOrder(
                        "/customerOrder/customerOrderId: is required",
                        "/customerOrder/status: is required",
                        "/customerOrder/currencyId: is required",
                        "/customerOrder/items/0/lineItemId: is required",
                        "/customerOrder/items/0/itemId: is required",
                        "/customerOrder/items/0/quantity: is required",
                        "/customerOrder/items/0/unitPrice: is required",
                        "/customerOrder/fulfillments/0/fulfillmentId: is required",
                        "/customerOrder/fulfillments/0/fulfillmentMethod: is required",
                        "/customerOrder/fulfillments/0/status: is required",
                        "/customerOrder/fulfillments/0/lineItems/0/lineItemId: is required",
                        "/customerOrder/fulfillments/0/lineItems/0/itemId: is required",
                        "/customerOrder/fulfillments/0/lineItems/0/orderedQuantity: is required",
                        "/customerOrder/fulfillments/0/lineItems/0/quantity: is required",
                        "/customerOrder/fulfillments/0/lineItems/0/status: is required");
    }

    @Test
    void presentNullIsAWrongTypeNotAMissingField() {
        ObjectNode doc = with(minimalOrder(), d -> order(d).putNull("currencyId"));

        assertThat(violationsOf(doc)).containsExactly(new Violation("/customerOrder/currencyId", "must be a string"));
    }

    @Test
    void rootMustBeAnObjectWithExactlyCustomerOrder() {
        assertThat(violationsOf(JSON.createArrayNode())).containsExactly(new Violation("", "must be an object"));
        assertThat(violationsOf(null)).containsExactly(new Violation("", "must be an object"));
        assertThat(violationsOf(JSON.createObjectNode()))
                .containsExactly(new Violation("/customerOrder", "is required"));
        assertThat(violationsOf(with(minimalOrder(), d -> d.put("version", 2))))
                .containsExactly(new Violation("/version", "is not allowed (unknown field)"));
        assertThat(violationsOf(parse("{\"customerOrder\": []}")))
                .containsExactly(new Violation("/customerOrder", "must be an object"));
    }

    @Test
    void validateOrderReportsUnderTheGivenPrefix() {
        ObjectNode order = order(with(minimalOrder(), d -> order(d).remove("currencyId")));

        assertThat(validator.validateOrder(order, OrderDocumentValidator.ORDER_POINTER))
                .containsExactly(new Violation("/customerOrder/currencyId", "is required"));
        assertThat(validator.validateOrder(order, "")).containsExactly(new Violation("/currencyId", "is required"));
    }

    @Test
    void patternsMustMatchTheWholeValue() {
        ObjectNode doc = with(fullOrder(), d -> {
            order(d).put("currencyId", "EUR\n");
            obj(d, "/customerOrder/fulfillments/0/deliveryAddress").put("countryCode", "DEU");
            obj(d, "/customerOrder/customer/address").put("countryCode", "de");
            obj(d, "/customerOrder/fulfillments/0").put("orderCode", "CI23456"); // 'I' is excluded
        });

        assertThat(violationsOf(doc))
                .containsExactlyInAnyOrder(
                        new Violation("/customerOrder/currencyId", "must match ^[A-Z]{3}$"),
                        new Violation(
                                "/customerOrder/fulfillments/0/deliveryAddress/countryCode", "must match ^[A-Z]{2}$"),
                        new Violation("/customerOrder/customer/address/countryCode", "must match ^[A-Z]{2}$"),
                        new Violation(
                                "/customerOrder/fulfillments/0/orderCode", "must match ^C[0-9A-HJKMNP-TV-Z]{6}$"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"O 1001", "", "O/1001", "Ö-1001"})
    void rejectsIdentifiersOutsideTheSafeAlphabet(String id) {
        ObjectNode doc = with(fullOrder(), d -> {
            order(d).put("customerOrderId", id).put("businessUnitId", id);
            obj(d, "/customerOrder/fulfillments/0").put("fulfillmentId", id).put("fulfillmentBusinessUnitId", id);
        });

        assertThat(violationsOf(doc))
                .extracting(Violation::toString)
                .containsExactlyInAnyOrder(
                        "/customerOrder/customerOrderId: must match ^[A-Za-z0-9._-]{1,128}$",
                        "/customerOrder/businessUnitId: must match ^[A-Za-z0-9._-]{1,128}$",
                        "/customerOrder/fulfillments/0/fulfillmentId: must match ^[A-Za-z0-9._-]{1,128}$",
                        "/customerOrder/fulfillments/0/fulfillmentBusinessUnitId: must match ^[A-Za-z0-9._-]{1,128}$");
    }

    @Test
    void identifiersMayBeUpTo128Characters() {
        assertThat(violationsOf(with(minimalOrder(), d -> order(d).put("customerOrderId", "A".repeat(128)))))
                .isEmpty();
        assertThat(violationsOf(with(minimalOrder(), d -> order(d).put("customerOrderId", "A".repeat(129)))))
                .extracting(Violation::pointer)
                .containsExactly("/customerOrder/customerOrderId");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-01-31T10:00:00Z",
                "2026-01-31T10:00:00.123+01:00",
                "2026-01-31t10:00:00z",
                "2026-12-31T23:59:59.999999999-12:00",
                "2024-02-29T00:00:00+14:00",
                "2016-12-31T23:59:60Z",
                "2017-01-01T00:59:60+01:00"
            })
    void acceptsRfc3339DateTimes(String value) {
        assertThat(violationsOf(withOrderStatusTime(value))).isEmpty();
    }

    @Test
    void rejectsDateWithoutTime() {
        assertThat(violationsOf(withOrderStatusTime("2026-01-31")))
                .containsExactly(
                        new Violation("/customerOrder/status/changedDateTime", "must be an RFC 3339 date-time"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-01-31 10:00:00", // space separator
                "2026-01-31T10:00:00", // no offset
                "2026-01-31T10:00Z", // no seconds
                "2026-01-31T10:00:00+0100", // offset without colon
                "2026-01-31T10:00:00.Z", // empty fraction
                "2026-02-30T10:00:00Z", // no such day
                "2025-02-29T10:00:00Z", // not a leap year
                "2026-13-01T10:00:00Z",
                "2026-01-31T24:00:00Z",
                "2026-01-31T10:60:00Z",
                "2026-01-31T10:00:00+24:00",
                "2026-01-31T12:00:60Z", // leap second not at the end of the UTC day
                "26-01-31T10:00:00Z",
                "2026-01-31T10:00:00Z\n",
                "٢٠٢٦-01-31T10:00:00Z" // non-ASCII digits
            })
    void rejectsMalformedDateTimes(String value) {
        assertThat(violationsOf(withOrderStatusTime(value)))
                .containsExactly(
                        new Violation("/customerOrder/status/changedDateTime", "must be an RFC 3339 date-time"));
    }

    @Test
    void checksDateTimesWhereverTheyOccur() {
        ObjectNode doc = with(fullOrder(), d -> {
            obj(d, "/customerOrder/fulfillments/0").put("pickupDatetime", "tomorrow");
            obj(d, "/customerOrder/fulfillments/0/lineItems/0").put("readyForPickupDateTime", "2026-02-01");
            obj(d, "/customerOrder/tenders/0/authorizationData").put("date", 1769853600);
            obj(d, "/customerOrder/tenders/0/authorizationData/cardInfo").put("expirationDate", "12/28");
        });

        assertThat(violationsOf(doc))
                .extracting(Violation::toString)
                .containsExactlyInAnyOrder(
                        "/customerOrder/fulfillments/0/pickupDatetime: must be an RFC 3339 date-time",
                        "/customerOrder/fulfillments/0/lineItems/0/readyForPickupDateTime: must be an RFC 3339 date-time",
                        "/customerOrder/tenders/0/authorizationData/date: must be a string",
                        "/customerOrder/tenders/0/authorizationData/cardInfo/expirationDate: must be an RFC 3339 date-time");
    }

    private static ObjectNode withOrderStatusTime(String value) {
        return with(minimalOrder(), d -> obj(d, "/customerOrder/status").put("changedDateTime", value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ana@example.com",
                "ana.example+orders@mail.example.org",
                "o'brien@example.ie",
                "x@localhost",
                "\"ana example\"@example.com",
                "\"a@b\"@example.com",
                "user_1!#$%&*/=?^`{|}~-@sub-domain.example.co.uk"
            })
    void acceptsWellFormedEmail(String email) {
        assertThat(violationsOf(withCustomerEmail(email))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ana",
                "ana@",
                "@example.com",
                "ana@@example.com",
                "ana@example..com",
                ".ana@example.com",
                "ana.@example.com",
                "an..a@example.com",
                "ana example@example.com",
                "ana@-example.com",
                "ana@example-.com",
                "ana@example.com.",
                "ana@exa_mple.com",
                "ana@[192.0.2.1]",
                "ana(comment)@example.com",
                "\"unterminated@example.com",
                "anä@example.com",
                "ana@example.com\n"
            })
    void rejectsMalformedEmail(String email) {
        assertThat(violationsOf(withCustomerEmail(email)))
                .containsExactly(
                        new Violation("/customerOrder/customer/address/email", "must be a valid email address"));
    }

    @Test
    void rejectsOverlongEmailParts() {
        assertThat(violationsOf(withCustomerEmail("a".repeat(65) + "@example.com")))
                .hasSize(1);
        assertThat(violationsOf(withCustomerEmail("ana@" + "a".repeat(64) + ".com")))
                .hasSize(1);
        assertThat(violationsOf(withCustomerEmail("a".repeat(64) + "@" + "a".repeat(63) + ".com")))
                .isEmpty();
    }

    private static ObjectNode withCustomerEmail(String email) {
        return with(fullOrder(), d -> obj(d, "/customerOrder/customer/address").put("email", email));
    }

    // ---------------------------------------------------------------------------------------------
    // Cross-check against the public schema
    // ---------------------------------------------------------------------------------------------

    @Test
    void fullyPopulatedOrderUsesEveryFieldOfThePublicSchema() throws IOException {
        JsonNode schema = loadPublicSchema();
        List<String> unused = new ArrayList<>();

        collectUnusedProperties(schema, schema, fullOrder(), "", unused);

        assertThat(unused).as("schema properties the full fixture never sets").isEmpty();
    }

    @Test
    void agreesWithPublicV2SchemaOnCorpus() throws IOException {
        JsonSchema schema = publicSchema();
        Map<String, JsonNode> corpus = corpus();

        List<String> disagreements = new ArrayList<>();
        int schemaValid = 0;
        for (Map.Entry<String, JsonNode> entry : corpus.entrySet()) {
            Set<ValidationMessage> schemaErrors = schema.validate(entry.getValue());
            List<Violation> ours = validator.validate(entry.getValue());
            if (schemaErrors.isEmpty()) {
                schemaValid++;
            }
            if (schemaErrors.isEmpty() != ours.isEmpty()) {
                disagreements.add(entry.getKey() + ": schema says " + schemaErrors + ", validator says " + ours);
            }
        }

        assertThat(disagreements).as("documents judged differently").isEmpty();
        // Guard against a vacuous corpus: it must exercise both verdicts.
        assertThat(schemaValid).as("valid documents in corpus").isGreaterThanOrEqualTo(8);
        assertThat(corpus.size() - schemaValid)
                .as("invalid documents in corpus")
                .isGreaterThanOrEqualTo(25);
    }

    /**
     * Takes the fully populated order apart one value at a time, removing it and then giving it a value of
     * another JSON type, so every field's required/optional status and type is compared with the schema.
     */
    @Test
    void agreesWithPublicV2SchemaWhenEachValueIsRemovedOrRetyped() throws IOException {
        JsonSchema schema = publicSchema();
        ObjectNode full = fullOrder();
        List<String> pointers = new ArrayList<>();
        collectPointers(full, "", pointers);

        List<String> disagreements = new ArrayList<>();
        int removedButStillValid = 0;
        for (String pointer : pointers) {
            JsonPointer at = JsonPointer.compile(pointer);
            Map<String, JsonNode> variants = new LinkedHashMap<>();
            // Dropping the store's business unit breaks only a project rule, which the schema does not know.
            if (!pointer.endsWith("/fulfillmentBusinessUnitId")) {
                variants.put("without " + pointer, with(full, d -> removeAt(d, at)));
            }
            variants.put("retyped " + pointer, with(full, d -> replaceAt(d, at, ofAnotherType(full.at(at)))));
            for (Map.Entry<String, JsonNode> variant : variants.entrySet()) {
                Set<ValidationMessage> schemaErrors = schema.validate(variant.getValue());
                List<Violation> ours = validator.validate(variant.getValue());
                if (schemaErrors.isEmpty() != ours.isEmpty()) {
                    disagreements.add(variant.getKey() + ": schema says " + schemaErrors + ", validator says " + ours);
                }
                if (variant.getKey().startsWith("without") && schemaErrors.isEmpty()) {
                    removedButStillValid++;
                }
            }
        }

        assertThat(disagreements).as("documents judged differently").isEmpty();
        assertThat(pointers).as("values taken apart").hasSizeGreaterThan(150);
        assertThat(removedButStillValid)
                .as("optional values removed without harm")
                .isGreaterThan(50);
    }

    /** Every value below the root, parents before children. */
    private static void collectPointers(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = at + "/" + field.getKey();
                out.add(child);
                collectPointers(field.getValue(), child, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(at + "/" + i);
                collectPointers(node.get(i), at + "/" + i, out);
            }
        }
    }

    private static void removeAt(JsonNode doc, JsonPointer at) {
        JsonNode parent = doc.at(at.head());
        if (parent.isObject()) {
            ((ObjectNode) parent).remove(at.last().getMatchingProperty());
        } else {
            ((ArrayNode) parent).remove(at.last().getMatchingIndex());
        }
    }

    private static void replaceAt(JsonNode doc, JsonPointer at, JsonNode value) {
        JsonNode parent = doc.at(at.head());
        if (parent.isObject()) {
            ((ObjectNode) parent).set(at.last().getMatchingProperty(), value);
        } else {
            ((ArrayNode) parent).set(at.last().getMatchingIndex(), value);
        }
    }

    private static JsonNode ofAnotherType(JsonNode value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value.isTextual()) {
            return nodes.numberNode(7);
        } else if (value.isNumber()) {
            return nodes.textNode("7");
        } else if (value.isBoolean()) {
            return nodes.textNode("true");
        } else if (value.isArray()) {
            return nodes.objectNode();
        }
        return nodes.arrayNode();
    }

    /** The public schema compiled with format assertions on (2020-12 otherwise treats format as a note). */
    private static JsonSchema publicSchema() throws IOException {
        ObjectNode schemaNode = (ObjectNode) loadPublicSchema();
        // The file says "id" where 2020-12 says "$id". In 2020-12 an unknown keyword is only an annotation
        // and never affects validity, but networknt 1.5.6 refuses to compile a schema carrying "id"
        // ("No suitable validator for id"), so drop it from our in-memory copy.
        schemaNode.remove("id");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                        schemaNode,
                        SchemaValidatorsConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build());
    }

    private static JsonNode loadPublicSchema() throws IOException {
        Path path = PUBLIC_SCHEMA.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            fail("Public v2 schema not found at " + path + " (" + PUBLIC_SCHEMA + " relative to working directory "
                    + Path.of("").toAbsolutePath() + "); run the tests from /work/main");
        }
        return JSON.readTree(path.toFile());
    }

    /**
     * Walks the schema alongside a document and lists every declared property the document leaves out,
     * so "fully populated" is checked rather than claimed.
     */
    private static void collectUnusedProperties(
            JsonNode root, JsonNode schema, JsonNode doc, String at, List<String> unused) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            resolved = root.at(resolved.get("$ref").asText().substring(1));
        }
        if (resolved.has("properties") && doc.isObject()) {
            for (Map.Entry<String, JsonNode> property :
                    resolved.get("properties").properties()) {
                JsonNode value = doc.get(property.getKey());
                if (value == null) {
                    unused.add(at + "/" + property.getKey());
                } else {
                    collectUnusedProperties(root, property.getValue(), value, at + "/" + property.getKey(), unused);
                }
            }
        }
        if (resolved.has("items") && doc.isArray()) {
            if (doc.isEmpty()) {
                unused.add(at + "/-");
            }
            // Every element of an object array would be too strict; the first must be complete.
            if (!doc.isEmpty()) {
                collectUnusedProperties(root, resolved.get("items"), doc.get(0), at + "/0", unused);
            }
        }
    }

    /** Documents that stay within the project's extra rules, so the schema's verdict must equal ours. */
    private static Map<String, JsonNode> corpus() {
        Map<String, JsonNode> c = new LinkedHashMap<>();

        // Valid
        c.put("minimal", minimalOrder());
        c.put("full", fullOrder());
        c.put("empty lists", with(minimalOrder(), d -> {
            order(d).putArray("items");
            order(d).putArray("fulfillments");
        }));
        c.put("empty customer and card info", with(fullOrder(), d -> {
            order(d).putObject("customer");
            obj(d, "/customerOrder/tenders/0/authorizationData").putObject("cardInfo");
        }));
        c.put("store delivery with business unit", with(minimalOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("fulfillmentMethod", "HOME_DELIVERY_FROM_STORE")
                .put("fulfillmentBusinessUnitId", "S1")));
        c.put("integer, decimal, negative and exponent numbers", with(minimalOrder(), d -> {
            obj(d, "/customerOrder/items/0/quantity").put("value", -2);
            obj(d, "/customerOrder/items/0")
                    .set("unitPrice", JsonNodeFactory.instance.numberNode(new BigDecimal("1E+3")));
            obj(d, "/customerOrder/fulfillments/0/lineItems/0")
                    .put("orderedQuantity", 0.5)
                    .put("quantity", 0L);
        }));
        c.put("several items and fulfilments", with(fullOrder(), d -> {
            ArrayNode items = (ArrayNode) order(d).get("items");
            items.add(minimalOrder().at("/customerOrder/items/0").deepCopy());
            ArrayNode fulfilments = (ArrayNode) order(d).get("fulfillments");
            fulfilments.add(minimalOrder().at("/customerOrder/fulfillments/0").deepCopy());
        }));
        c.put("every order status", with(minimalOrder(), d -> obj(d, "/customerOrder/status")
                .put("status", "FULFILLED")));
        c.put("order code with allowed letters", with(fullOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("orderCode", "C0AHJKZ")));

        // Wrong root
        c.put("root without customerOrder", JSON.createObjectNode());
        c.put("root with extra field", with(minimalOrder(), d -> d.put("version", 2)));
        c.put("root is an array", JSON.createArrayNode().add(minimalOrder()));
        c.put("customerOrder is a string", parse("{\"customerOrder\": \"O-1001\"}"));

        // Missing required
        c.put("missing customerOrderId", with(minimalOrder(), d -> order(d).remove("customerOrderId")));
        c.put("missing fulfillments", with(minimalOrder(), d -> order(d).remove("fulfillments")));
        c.put("missing unitPrice", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0")
                .remove("unitPrice")));
        c.put("missing discountText", with(fullOrder(), d -> obj(d, "/customerOrder/items/0/unitDiscounts/0")
                .remove("discountText")));
        c.put("missing external id provider", with(fullOrder(), d -> obj(d, "/customerOrder/externalCustomerOrderIds/0")
                .remove("providerName")));
        c.put("missing authorization amount", with(fullOrder(), d -> obj(
                        d, "/customerOrder/tenders/0/authorizationData")
                .remove("amount")));
        c.put("missing postalCode", with(fullOrder(), d -> obj(d, "/customerOrder/customer/address")
                .remove("postalCode")));
        c.put("missing orderedQuantity", with(minimalOrder(), d -> obj(d, "/customerOrder/fulfillments/0/lineItems/0")
                .remove("orderedQuantity")));
        c.put("missing gift card action", with(fullOrder(), d -> obj(
                        d, "/customerOrder/tenders/0/authorizationData/giftCardInfo")
                .remove("giftCardActionType")));
        c.put("missing loyalty customer id", with(fullOrder(), d -> obj(d, "/customerOrder/loyalty")
                .remove("loyaltyCustomerId")));

        // Unknown fields
        c.put("unknown field in order", with(minimalOrder(), d -> order(d).put("colour", "blue")));
        c.put("unknown field in quantity", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0/quantity")
                .put("precision", 2)));
        c.put("unknown field in fulfilment line status", with(minimalOrder(), d -> obj(
                        d, "/customerOrder/fulfillments/0/lineItems/0/status")
                .put("reason", "x")));
        c.put("unknown field in provider info", with(fullOrder(), d -> obj(
                        d, "/customerOrder/tenders/0/authorizationData/providerInfo")
                .put("region", "EU")));

        // Bad enums
        c.put("bad order status", with(minimalOrder(), d -> obj(d, "/customerOrder/status")
                .put("status", "SHIPPED")));
        c.put("bad unit of measure", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0/quantity")
                .put("unitOfMeasure", "PCS")));
        c.put("bad reward type", with(fullOrder(), d -> obj(d, "/customerOrder/items/0/unitDiscounts/0")
                .put("rewardType", "BOGO")));
        c.put("bad fulfilment method", with(minimalOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("fulfillmentMethod", "DRONE")));
        c.put("bad transaction type", with(fullOrder(), d -> obj(d, "/customerOrder/tenders/0/authorizationData")
                .put("transactionType", "VOID")));
        c.put("enum given as number", with(minimalOrder(), d -> obj(d, "/customerOrder/status")
                .put("status", 1)));

        // Bad patterns
        c.put("lower-case currency", with(minimalOrder(), d -> order(d).put("currencyId", "eur")));
        c.put("three-letter country", with(fullOrder(), d -> obj(d, "/customerOrder/customer/address")
                .put("countryCode", "DEU")));
        c.put("short order code", with(fullOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("orderCode", "C12345")));
        c.put("order code with excluded letter", with(fullOrder(), d -> obj(d, "/customerOrder/fulfillments/0")
                .put("orderCode", "C12345O")));

        // Wrong types
        c.put("quantity as string", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0/quantity")
                .put("value", "2")));
        c.put("amount as string", with(fullOrder(), d -> obj(d, "/customerOrder/tenders/0")
                .put("amount", "44.90")));
        c.put("boolean as string", with(minimalOrder(), d -> order(d).put("isReadOnly", "true")));
        c.put("line id as number", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0")
                .put("lineItemId", 1)));
        c.put("items as object", with(minimalOrder(), d -> order(d).putObject("items")));
        c.put("status as string", with(minimalOrder(), d -> order(d).put("status", "CREATED")));
        c.put("number in string array", with(fullOrder(), d -> ((ArrayNode)
                        obj(d, "/customerOrder/items/0").get("depositAndFeeRuleIds"))
                .add(7)));
        c.put("null optional string", with(minimalOrder(), d -> order(d).putNull("cartName")));
        c.put("null required number", with(minimalOrder(), d -> obj(d, "/customerOrder/items/0")
                .putNull("unitPrice")));

        return c;
    }
}
