package io.orderhub.ops;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Google-style custom methods ({@code /things/{id}:verb}): the REST layer cannot match a variable followed by
 * {@code :verb}, so routes match the whole segment and split it here into the id and header {@code verb}.
 */
@Component("customMethods")
public class CustomMethods {

    /** Splits header {@code header} of the form {@code id:verb}; no colon leaves the id whole and no verb. */
    public void split(Exchange exchange, String header) {
        String segment = exchange.getIn().getHeader(header, String.class);
        int colon = segment == null ? -1 : segment.lastIndexOf(':');
        if (colon < 0) {
            exchange.getIn().removeHeader("verb");
            return;
        }
        exchange.getIn().setHeader(header, segment.substring(0, colon));
        exchange.getIn().setHeader("verb", segment.substring(colon + 1));
    }

    /** The answer for a custom method this resource does not have. */
    public void unknownVerb(Exchange exchange) {
        throw ProblemException.notFound("no such method :" + exchange.getIn().getHeader("verb"));
    }
}
