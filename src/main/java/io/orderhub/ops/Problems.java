package io.orderhub.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.Violation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Renders RFC 9457 problem+json bodies; never includes stack traces, SQL or class names. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    /** The problem body for {@code problem} on the request at {@code instance}. */
    public static String body(ProblemException problem, String instance, String correlationId) {
        return body(
                problem.status(),
                problem.kind(),
                problem.title(),
                problem.getMessage(),
                instance,
                correlationId,
                problem.errors(),
                problem.extensions());
    }

    public static String body(
            int status,
            String kind,
            String title,
            String detail,
            String instance,
            String correlationId,
            List<Violation> errors,
            Map<String, Object> extensions) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "urn:orderhub:problem:" + kind);
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        node.put("instance", instance);
        node.put("correlationId", correlationId);
        if (!errors.isEmpty()) {
            ArrayNode list = node.putArray("errors");
            for (Violation v : errors) {
                list.addObject().put("pointer", v.pointer()).put("message", v.message());
            }
        }
        extensions.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
        return node.toString();
    }

    /** Writes a problem straight to a servlet response, for the web filters that answer before any route runs. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemException problem)
            throws IOException {
        problem.headers().forEach(response::setHeader);
        response.setStatus(problem.status());
        response.setContentType(MEDIA_TYPE);
        byte[] bytes = body(problem, request.getRequestURI(), CorrelationIds.of(request))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
