package io.orderhub.ops;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First filter of every request: settles the correlation id (attribute, MDC, response header) and writes the one log
 * line per request once the answer is complete, also when a route answered asynchronously.
 */
public class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("io.orderhub.requests");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = CorrelationIds.acceptOrMake(request.getHeader(CorrelationIds.HEADER));
        request.setAttribute(CorrelationIds.ATTRIBUTE, correlationId);
        response.setHeader(CorrelationIds.HEADER, correlationId);
        long started = System.nanoTime();
        MDC.put(CorrelationIds.MDC_KEY, correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(CorrelationIds.MDC_KEY);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new LogOnComplete(request, response, started, correlationId));
            } else {
                logLine(request, response, started, correlationId);
            }
        }
    }

    private static void logLine(HttpServletRequest request, HttpServletResponse response, long started, String id) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        MDC.put(CorrelationIds.MDC_KEY, id);
        try {
            log.info(
                    "{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(), millis);
        } finally {
            MDC.remove(CorrelationIds.MDC_KEY);
        }
    }

    private record LogOnComplete(HttpServletRequest request, HttpServletResponse response, long started, String id)
            implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            logLine(request, response, started, id);
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
