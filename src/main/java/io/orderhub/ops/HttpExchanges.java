package io.orderhub.ops;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** Reaches the servlet request behind a platform-http exchange, where the web filters left their attributes. */
public final class HttpExchanges {

    private static final String REQUEST = "orderhub.request";

    private HttpExchanges() {}

    /** The servlet request of this exchange; remembered on the exchange because later steps may replace the message. */
    public static HttpServletRequest request(Exchange exchange) {
        HttpServletRequest request = exchange.getProperty(REQUEST, HttpServletRequest.class);
        if (request != null) {
            return request;
        }
        PlatformHttpMessage message = exchange.getIn(PlatformHttpMessage.class);
        if (message == null) {
            throw new IllegalStateException(
                    "exchange " + exchange.getExchangeId() + " did not come from an HTTP request");
        }
        exchange.setProperty(REQUEST, message.getRequest());
        return message.getRequest();
    }
}
