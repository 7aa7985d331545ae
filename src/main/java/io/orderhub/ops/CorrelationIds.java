package io.orderhub.ops;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.apache.camel.Exchange;

/** The Correlation-Id rule of api.md: a given id of 1–128 printable ASCII characters is kept, else a UUID is made. */
public final class CorrelationIds {

    public static final String HEADER = "Correlation-Id";
    public static final String ATTRIBUTE = "orderhub.correlationId";
    public static final String MDC_KEY = "correlationId";

    private CorrelationIds() {}

    /** The given id when acceptable, otherwise a new UUID. */
    public static String acceptOrMake(String given) {
        return isAcceptable(given) ? given : UUID.randomUUID().toString();
    }

    public static boolean isAcceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id != null ? id.toString() : acceptOrMake(request.getHeader(HEADER));
    }

    /** The correlation id of the HTTP request behind this exchange. */
    public static String of(Exchange exchange) {
        String id = exchange.getProperty(ATTRIBUTE, String.class);
        if (id == null) {
            id = of(HttpExchanges.request(exchange));
            exchange.setProperty(ATTRIBUTE, id);
        }
        return id;
    }
}
