package io.orderhub.ops;

import org.apache.camel.Exchange;

/** Sets an HTTP answer on a route's exchange: status, JSON body, and Location when there is one. */
public final class HttpAnswers {

    private HttpAnswers() {}

    /** 204 No Content. */
    public static void noContent(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    public static void set(Exchange exchange, int status, String jsonBody, String location) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (location != null) {
            exchange.getMessage().setHeader("Location", location);
        }
        exchange.getMessage().setBody(jsonBody);
    }
}
