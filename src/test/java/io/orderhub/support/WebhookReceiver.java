package io.orderhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP endpoint standing in for webhook subscribers: one server on 127.0.0.1, any number of paths (one per
 * subscription), every request recorded with its headers, raw body and arrival time, and answered from a script the
 * test programs per path (and per order). It checks signatures with its own code, as a subscriber would, never with
 * the hub's.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** The answers a subscriber may give; everything else is terminal for the hub. */
    private static final Set<Integer> SUCCESS = Set.of(200, 201, 202, 204);

    private final HttpServer server;
    private final ExecutorService pool;
    private final Duration senderTimeout;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Response>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Response> defaults = new ConcurrentHashMap<>();

    private WebhookReceiver(Duration senderTimeout) throws IOException {
        this.senderTimeout = senderTimeout;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // a cached pool: a scripted slow answer must never keep another subscriber's request waiting
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver for the test hub, whose {@code hub.webhooks.timeout} is 1 s. */
    public static WebhookReceiver start() {
        return start(Duration.ofSeconds(1));
    }

    /** A receiver for a sender that gives up after {@code senderTimeout}: slower answers are not successes. */
    public static WebhookReceiver start(Duration senderTimeout) {
        try {
            return new WebhookReceiver(senderTimeout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the webhook receiver", e);
        }
    }

    /** The subscription URL of {@code path} (on 127.0.0.1: the hub's SSRF guard refuses the name localhost). */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---------------------------------------------------------------- the script

    /** One scripted answer: a status, optionally a {@code Retry-After} in seconds, optionally after a delay. */
    public record Response(int status, Integer retryAfterSeconds, long delayMillis) {

        public static Response status(int status) {
            return new Response(status, null, 0);
        }

        public Response retryAfter(int seconds) {
            return new Response(status, seconds, delayMillis);
        }

        public Response delayed(long millis) {
            return new Response(status, retryAfterSeconds, millis);
        }
    }

    /** The next requests to {@code path} are answered with {@code responses}, in turn; then the path's default. */
    public WebhookReceiver enqueue(String path, Response... responses) {
        synchronized (scripts) {
            queue(path).addAll(List.of(responses));
        }
        return this;
    }

    /**
     * The next requests to {@code path} about {@code subject} (the envelope's {@code bu/customerOrderId}) are answered
     * with {@code responses}, in turn, before any answer queued for the whole path.
     */
    public WebhookReceiver enqueueFor(String path, String subject, Response... responses) {
        synchronized (scripts) {
            queue(path + " " + subject).addAll(List.of(responses));
        }
        return this;
    }

    /** Requests to {@code path} with nothing queued are answered with {@code response} (204 unless set). */
    public WebhookReceiver answerByDefault(String path, Response response) {
        defaults.put(path, response);
        return this;
    }

    private Queue<Response> queue(String key) {
        return scripts.computeIfAbsent(key, k -> new ArrayDeque<>());
    }

    private Response next(String path, String subject) {
        synchronized (scripts) {
            Queue<Response> bySubject = subject == null ? null : scripts.get(path + " " + subject);
            if (bySubject != null && !bySubject.isEmpty()) {
                return bySubject.poll();
            }
            Queue<Response> byPath = scripts.get(path);
            if (byPath != null && !byPath.isEmpty()) {
                return byPath.poll();
            }
        }
        return defaults.getOrDefault(path, Response.status(204));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long nanos = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            String path = exchange.getRequestURI().getPath();
            Request request = new Request(
                    path,
                    exchange.getRequestMethod(),
                    Collections.unmodifiableMap(headers),
                    body,
                    Instant.now(),
                    nanos,
                    null,
                    senderTimeout);
            Response answer = next(path, request.subjectOrNull());
            received.add(request.answeredWith(answer));
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer.retryAfterSeconds() != null) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(answer.retryAfterSeconds()));
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (IOException e) {
            // the sender gave up (a scripted slow answer): the request is recorded, the answer has nowhere to go
        }
    }

    // ---------------------------------------------------------------- what was received

    /** One request as received, with the answer the script gave it. */
    public record Request(
            String path,
            String method,
            Map<String, List<String>> headers,
            byte[] body,
            Instant receivedAt,
            long receivedNanos,
            Response answer,
            Duration senderTimeout) {

        Request answeredWith(Response response) {
            return new Request(path, method, headers, body, receivedAt, receivedNanos, response, senderTimeout);
        }

        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Whether the sender saw a success: a 200, 201, 202 or 204 in time. */
        public boolean acknowledged() {
            return answer != null
                    && SUCCESS.contains(answer.status())
                    && answer.delayMillis() < senderTimeout.toMillis();
        }

        /** The CloudEvents envelope. */
        public JsonNode envelope() {
            try {
                return Hub.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the delivery body is not JSON: " + bodyText(), e);
            }
        }

        public String eventId() {
            return envelope().path("id").asText();
        }

        public String type() {
            return envelope().path("type").asText();
        }

        public String subject() {
            return envelope().path("subject").asText();
        }

        public String origin() {
            return envelope().path("meta").path("origin").asText();
        }

        String subjectOrNull() {
            try {
                JsonNode subject = Hub.JSON.readTree(body).get("subject");
                return subject == null || !subject.isTextual() ? null : subject.asText();
            } catch (IOException e) {
                return null;
            }
        }

        /** The payload bytes: the base64 decoding of {@code data}. */
        public byte[] data() {
            JsonNode data = envelope().path("data");
            if (!data.isTextual()) {
                throw new AssertionError("the envelope's data is not a base64 string: " + bodyText());
            }
            return Base64.getDecoder().decode(data.asText());
        }

        /** The payload of a JSON event ({@code datacontenttype} application/json). */
        public JsonNode payload() {
            try {
                return Hub.JSON.readTree(data());
            } catch (IOException e) {
                throw new AssertionError(
                        "the decoded data is not JSON: " + new String(data(), StandardCharsets.UTF_8), e);
            }
        }

        @Override
        public String toString() {
            return method + " " + path + " at " + receivedAt + " answered " + (answer == null ? "-" : answer.status())
                    + ": " + bodyText();
        }
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(received);
    }

    /** The requests to {@code path}, in arrival order. */
    public List<Request> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The requests to {@code path} about {@code subject} ({@code bu/customerOrderId}), in arrival order. */
    public List<Request> requests(String path, String subject) {
        return received.stream()
                .filter(r -> r.path().equals(path) && subject.equals(r.subjectOrNull()))
                .toList();
    }

    /** The requests to {@code path} the sender saw succeed, in arrival order. */
    public List<Request> acknowledged(String path) {
        return received.stream()
                .filter(r -> r.path().equals(path) && r.acknowledged())
                .toList();
    }

    /** Waits for the first acknowledged request to {@code path} matching {@code which}, and returns it. */
    public Request awaitAcknowledged(String path, Duration timeout, String what, Predicate<Request> which) {
        Request[] found = new Request[1];
        Hub.await(timeout, what + " (received at " + path + " so far: " + requests(path) + ")", () -> {
            found[0] = acknowledged(path).stream().filter(which).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    // ---------------------------------------------------------------- signatures, checked independently

    /** The key bytes of a shared key: base64 after {@code whsec_} (as Standard Webhooks libraries do), else UTF-8. */
    public static byte[] keyBytes(String sharedKey) {
        return sharedKey.startsWith("whsec_")
                ? Base64.getDecoder().decode(sharedKey.substring("whsec_".length()))
                : sharedKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code X-Hii-Signature} is {@code HS256=<hex HMAC-SHA256(key, the data string)>}. */
    public static boolean hiiSignatureValid(Request request, String sharedKey) {
        String header = request.header("X-Hii-Signature");
        if (header == null || !header.startsWith("HS256=")) {
            return false;
        }
        String data = request.envelope().path("data").asText();
        byte[] expected = hmacSha256(keyBytes(sharedKey), data.getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("HS256=".length()).toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * Whether one of the {@code webhook-signature} entries is {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}
     * over this request's {@code webhook-id}, {@code webhook-timestamp} and raw body.
     */
    public static boolean standardSignatureValid(Request request, String sharedKey) {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String header = request.header("webhook-signature");
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + request.body().length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(request.body(), 0, signed, prefix.length, request.body().length);
        byte[] expected = hmacSha256(keyBytes(sharedKey), signed);
        for (String entry : header.trim().split(" +")) {
            if (!entry.startsWith("v1,")) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring("v1,".length())))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not base64: not this entry
            }
        }
        return false;
    }

    private static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
