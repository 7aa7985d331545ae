package io.orderhub.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The 202 answer to an accepted order event (api.md "PUT"). */
public final class AcceptAnswers {

    private AcceptAnswers() {}

    public static AcceptAnswer accepted(OrderEvent event) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("eventId", event.eventId().toString());
        body.put("customerOrderId", event.customerOrderId());
        body.put("status", "ACCEPTED");
        return new AcceptAnswer(
                202, body.toString(), orderLocation(event.businessUnitId(), event.customerOrderId()), false);
    }

    public static String orderLocation(String bu, String customerOrderId) {
        return "/api/v1/business-units/" + bu + "/customer-orders/" + customerOrderId;
    }
}
