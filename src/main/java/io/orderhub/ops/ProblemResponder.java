package io.orderhub.ops;

import io.orderhub.ingest.Failures;
import io.orderhub.orders.OrderJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a route's failure into its problem+json answer: a {@link ProblemException} as it says, malformed JSON 400, a
 * database that is away 503 with Retry-After, anything else 500 without internals.
 */
@Component("problemResponder")
public class ProblemResponder {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponder.class);

    public void respond(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = toProblem(failure);
        String instance = HttpExchanges.request(exchange).getRequestURI();
        String correlationId = CorrelationIds.of(exchange);
        exchange.getMessage().removeHeaders("*");
        problem.headers().forEach((k, v) -> exchange.getMessage().setHeader(k, v));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problems.MEDIA_TYPE);
        exchange.getMessage().setBody(Problems.body(problem, instance, correlationId));
    }

    static ProblemException toProblem(Throwable failure) {
        if (failure instanceof ProblemException p) {
            return p;
        }
        if (failure instanceof OrderJson.MalformedJson m) {
            return new ProblemException(400, "malformed-json", "Malformed JSON", m.getMessage());
        }
        if (failure != null && Failures.classify(failure) != Failures.Kind.PERSISTENT) {
            log.warn("Database unavailable while answering a request: {}", Failures.describe(failure));
            return ProblemException.unavailable("the hub's database is not reachable right now; retry later", 5);
        }
        log.error("Unexpected failure while answering a request", failure);
        return new ProblemException(500, "internal", "Internal error", "the hub failed to answer; see its log");
    }
}
