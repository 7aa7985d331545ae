package io.orderhub.ops;

import io.orderhub.orders.Violation;
import java.util.List;
import java.util.Map;

/** A request the hub refuses, answered as RFC 9457 problem+json; {@code kind} becomes {@code urn:orderhub:problem:<kind>}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;
    private final List<Violation> errors;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ProblemException(int status, String kind, String title, String detail) {
        this(status, kind, title, detail, List.of(), Map.of(), Map.of());
    }

    public ProblemException(
            int status,
            String kind,
            String title,
            String detail,
            List<Violation> errors,
            Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    /** 400 listing every violation. */
    public static ProblemException validation(List<Violation> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).pointer() + " " + errors.get(0).message()
                : errors.size() + " violations; see errors";
        return new ProblemException(400, "validation", "Invalid request", detail, errors, Map.of(), Map.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String kind, String detail) {
        return new ProblemException(409, kind, "Conflict", detail);
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(
                503,
                "unavailable",
                "Service unavailable",
                detail,
                List.of(),
                Map.of(),
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public List<Violation> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
