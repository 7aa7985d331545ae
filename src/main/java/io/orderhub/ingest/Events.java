package io.orderhub.ingest;

import org.apache.camel.Exchange;

/** Headers that name an event on its exchange, so routes, logs and the idempotent consumer can speak of it. */
public final class Events {

    public static final String EVENT_ID = "eventId";
    public static final String TENANT = "tenantId";
    public static final String ORDER = "customerOrderId";
    public static final String OUTCOME = "outcome";
    public static final String DETAIL = "outcomeDetail";

    private Events() {}

    public static void describe(Exchange exchange, OrderEvent event) {
        exchange.getIn().setHeader(EVENT_ID, event.eventId().toString());
        exchange.getIn().setHeader(TENANT, event.tenantId());
        exchange.getIn().setHeader(ORDER, event.customerOrderId());
        exchange.getIn().setHeader("correlationId", event.correlationId());
    }
}
