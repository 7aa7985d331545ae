package io.orderhub.ops;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * The platform-http header policy: a response carries only the headers a route means to send (platform-http would echo
 * every Camel header, request headers included), and a request cannot inject Camel's own control headers.
 */
@Component("responseHeaderPolicy")
public class ResponseHeaderPolicy implements HeaderFilterStrategy {

    private static final Set<String> RESPONSE_HEADERS = Set.of("location", "retry-after", "allow", "etag");

    /** Camel headers to HTTP response: true means filtered out. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** HTTP request to Camel headers: true means filtered out. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("camel") || lower.startsWith("org.apache.camel");
    }
}
