import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook fan-out (docs/performance.md, "Webhook fan-out (issue 5)"): 9 healthy subscribers and 1 dead one, a stream
 * of order changes from the OMS, for a warm-up, a measured window and a drain.
 *
 * <ul>
 *   <li>Healthy receivers: JDK HttpServers on 127.0.0.1 (4 threads each, the hub's per-subscription limit), reading
 *       the body and answering 204 at once. Per delivery they record the receive time, the envelope's {@code time}
 *       (when the change was stored) and, from the payload's {@code cartName} version, the time the OMS PUT of that
 *       change was answered 202.
 *   <li>The dead subscriber hangs: it accepts the connection, reads the request and never answers, so every attempt
 *       holds a delivery thread of the hub until the timeout (5 s by default). That is harsher than a closed port (a
 *       refused connection fails in under a millisecond) and what a hung server or a black-holed address does.
 *   <li>Creates tenant {@code bench}, an admin key and an oms key, and 10 subscriptions to
 *       {@code cor.customer-order-updates.v2}.
 *   <li>The change stream: CLIENTS threads PUT v2 snapshots (the document of IngestBench, about 3 KB) to
 *       {@code /api/v1/business-units/S1/customer-orders/{id}}, paced to RATE PUTs/s in total (0: as fast as they go).
 *       Each client cycles over 25 orders; every order gets 10 updates and is then replaced by a new order, so 10% of
 *       the changes are new orders.
 *   <li>Every 5 s: the PENDING journal total of each subscription ({@code GET /api/v1/webhooks/{id}/deliveries
 *       ?status=PENDING} {@code page.total}) and the deliveries the healthy receivers got in those 5 s.
 * </ul>
 *
 * After the window the PUTs stop; the drain waits (at most DRAIN seconds) until the healthy subscribers have nothing
 * pending. Usage: java FanoutBench.java baseUrl operatorToken seconds clients rate
 * Environment: BENCH_WARMUP_SECONDS (30), BENCH_DRAIN_SECONDS (120).
 */
public class FanoutBench {

    static final int WARMUP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "30"));
    static final int DRAIN_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_DRAIN_SECONDS", "120"));
    static final int HEALTHY = 9;
    static final String TENANT = "bench";
    static final String EVENT_TYPE = "cor.customer-order-updates.v2";
    static final Pattern CART = Pattern.compile("\"cartName\":\"v(\\d+)\"");

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;

    /** One healthy receiver's record: receive time (epoch ms), stored-to-received and accepted-to-received (µs). */
    static final class Receiver {
        final Object lock = new Object();
        long[] at = new long[1 << 16];
        long[] storedLag = new long[1 << 16];
        long[] acceptedLag = new long[1 << 16];
        int n;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong unparsed = new AtomicLong();

        void add(long atMillis, long stored, long accepted) {
            synchronized (lock) {
                if (n == at.length) {
                    at = Arrays.copyOf(at, n * 2);
                    storedLag = Arrays.copyOf(storedLag, n * 2);
                    acceptedLag = Arrays.copyOf(acceptedLag, n * 2);
                }
                at[n] = atMillis;
                storedLag[n] = stored;
                acceptedLag[n] = accepted;
                n++;
            }
        }
    }

    /** When the PUT of (order id, version) was answered 202, epoch µs. */
    static final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        base = args[0];
        String operator = args[1];
        int seconds = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        double rate = Double.parseDouble(args[4]);

        // receivers
        Receiver[] receivers = new Receiver[HEALTHY];
        HttpServer[] servers = new HttpServer[HEALTHY];
        for (int i = 0; i < HEALTHY; i++) {
            Receiver r = receivers[i] = new Receiver();
            HttpServer s = servers[i] = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            s.setExecutor(Executors.newFixedThreadPool(4));
            s.createContext("/hook", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                long now = micros(Instant.now());
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                record(r, new String(body, StandardCharsets.UTF_8), now);
            });
            s.start();
        }
        ServerSocket dead = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        AtomicLong deadConnections = new AtomicLong();
        Thread acceptor = new Thread(() -> {
            while (!dead.isClosed()) {
                try {
                    Socket socket = dead.accept();
                    deadConnections.incrementAndGet();
                    Thread t = new Thread(() -> {
                        // read whatever comes, never answer; the hub gives up at its timeout and closes
                        try (socket; InputStream in = socket.getInputStream()) {
                            byte[] buf = new byte[8192];
                            while (in.read(buf) >= 0) {}
                        } catch (Exception ignored) {
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();

        // tenant, keys, subscriptions
        call("PUT", "/admin/v1/tenants/" + TENANT, operator, "{}", 200, 201);
        String adminKey = apiKey(call("POST", "/admin/v1/tenants/" + TENANT + "/api-keys", operator,
                "{\"roles\":[\"admin\"],\"name\":\"fanout bench admin\"}", 201, 200));
        String omsKey = apiKey(call("POST", "/admin/v1/tenants/" + TENANT + "/api-keys", operator,
                "{\"roles\":[\"oms\"],\"name\":\"fanout bench oms\"}", 201, 200));
        String[] webhooks = new String[HEALTHY + 1];
        for (int i = 0; i <= HEALTHY; i++) {
            boolean isDead = i == HEALTHY;
            webhooks[i] = isDead ? "dead" : "healthy-" + (i + 1);
            int port = isDead ? dead.getLocalPort() : servers[i].getAddress().getPort();
            call("PUT", "/api/v1/webhooks/" + webhooks[i], adminKey,
                    "{\"url\":\"http://127.0.0.1:" + port + "/hook\",\"eventTypes\":[\"" + EVENT_TYPE + "\"],"
                            + "\"sharedKey\":\"fanout-bench-shared-key-" + i + "\"}", 201);
        }
        System.out.printf("subscriptions=%d healthy=%d dead=%s (hangs: accepts, reads, never answers) clients=%d rate=%s%n",
                HEALTHY + 1, HEALTHY, "127.0.0.1:" + dead.getLocalPort(), clients, rate > 0 ? rate + "/s" : "unpaced");

        // the change stream
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicLong errors = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong newOrders = new AtomicLong();
        long[][] putLatency = new long[clients][1_000_000];
        int[] putCount = new int[clients];
        CountDownLatch stopped = new CountDownLatch(clients);
        double perClient = rate > 0 ? rate / clients : 0;
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int slots = 25;
                int[] version = new int[slots];
                int[] generation = new int[slots];
                long start = System.nanoTime() + (long) (client * 1e9 / Math.max(1, rate));
                long k = 0;
                int i = 0;
                while (running.get()) {
                    if (perClient > 0) {
                        long due = start + (long) (k++ * 1e9 / perClient);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        } else if (wait < -1_000_000_000L) {
                            // more than a second behind: do not try to catch up with a burst
                            start = System.nanoTime();
                            k = 1;
                        }
                    }
                    int s = i++ % slots;
                    if (version[s] == 10) {
                        version[s] = 0;
                        generation[s]++;
                    }
                    int v = ++version[s];
                    String id = run + "-" + client + "-" + s + "-" + generation[s];
                    String body = order(id, v, new Random(id.hashCode()));
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create(base + "/api/v1/business-units/S1/customer-orders/" + id))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + omsKey)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        long took = (System.nanoTime() - t0) / 1000;
                        if (r.statusCode() != 202) {
                            errors.incrementAndGet();
                            continue;
                        }
                        acceptedAt.put(id + "#" + v, micros(Instant.now()));
                        if (v == 1) {
                            newOrders.incrementAndGet();
                        }
                        if (measuring.get()) {
                            accepted.incrementAndGet();
                            if (putCount[client] < putLatency[client].length) {
                                putLatency[client][putCount[client]++] = took;
                            }
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                stopped.countDown();
            });
            t.setDaemon(true);
            t.start();
        }

        // sampler: journal PENDING totals every 5 s
        long t0 = System.currentTimeMillis();
        String[] phase = {"warmup"};
        List<String> series = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        long[] lastHealthyPending = {-1};
        Thread sampler = new Thread(() -> {
            long prevCount = 0;
            long prevAt = System.currentTimeMillis();
            while (sampling.get()) {
                sleepNanos(5_000_000_000L);
                long at = System.currentTimeMillis();
                long healthyPending = 0;
                long deadPending = -1;
                for (int i = 0; i <= HEALTHY; i++) {
                    long total = pending(adminKey, webhooks[i]);
                    if (i == HEALTHY) {
                        deadPending = total;
                    } else {
                        healthyPending += total;
                    }
                }
                long count = 0;
                for (Receiver r : receivers) {
                    synchronized (r.lock) {
                        count += r.n;
                    }
                }
                String line = String.format("t=%5.1fs phase=%-6s healthy_received_per_s=%6.0f healthy_pending=%6d dead_pending=%6d dead_connections=%d",
                        (at - t0) / 1000.0, phase[0], (count - prevCount) * 1000.0 / (at - prevAt), healthyPending,
                        deadPending, deadConnections.get());
                System.out.println(line);
                synchronized (series) {
                    series.add(line);
                }
                lastHealthyPending[0] = healthyPending;
                prevCount = count;
                prevAt = at;
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        Thread.sleep(WARMUP_SECONDS * 1000L);
        long deadAtStart = pending(adminKey, webhooks[HEALTHY]);
        long healthyAtStart = healthyPending(adminKey, webhooks);
        phase[0] = "window";
        measuring.set(true);
        long windowStart = System.currentTimeMillis();
        System.out.println("phase_start=window");
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long windowEnd = System.currentTimeMillis();
        phase[0] = "drain";
        System.out.println("phase_start=drain");
        running.set(false);
        stopped.await();
        long putsStopped = System.currentTimeMillis();
        long deadAtEnd = pending(adminKey, webhooks[HEALTHY]);
        long healthyAtEnd = healthyPending(adminKey, webhooks);

        // drain: until the healthy subscribers have nothing pending (checked every second), at most DRAIN_SECONDS
        long drainEnd = putsStopped;
        long left = -1;
        for (int s = 0; s < DRAIN_SECONDS; s++) {
            left = healthyPending(adminKey, webhooks);
            drainEnd = System.currentTimeMillis();
            if (left == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        Thread.sleep(500); // the last answers' records
        long deadAfterDrain = pending(adminKey, webhooks[HEALTHY]);
        sampling.set(false);

        // figures
        double window = (windowEnd - windowStart) / 1000.0;
        long inWindow = 0;
        long inDrain = 0;
        long total = 0;
        long duplicates = 0;
        long unparsed = 0;
        long minPer = Long.MAX_VALUE;
        long maxPer = 0;
        List<Long> stored = new ArrayList<>();
        List<Long> acceptedToReceived = new ArrayList<>();
        TreeMap<Long, List<Long>> buckets = new TreeMap<>();
        for (Receiver r : receivers) {
            long mine = 0;
            synchronized (r.lock) {
                total += r.n;
                for (int i = 0; i < r.n; i++) {
                    long at = r.at[i];
                    buckets.computeIfAbsent(Math.floorDiv(at - windowStart, 10_000L), b -> new ArrayList<>())
                            .add(r.storedLag[i]);
                    if (at >= windowStart && at < windowEnd) {
                        mine++;
                        stored.add(r.storedLag[i]);
                        if (r.acceptedLag[i] >= 0) {
                            acceptedToReceived.add(r.acceptedLag[i]);
                        }
                    } else if (at >= putsStopped && at <= drainEnd) {
                        inDrain++;
                    }
                }
            }
            inWindow += mine;
            minPer = Math.min(minPer, mine);
            maxPer = Math.max(maxPer, mine);
            duplicates += r.duplicates.get();
            unparsed += r.unparsed.get();
        }
        long[] st = stored.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] ac = acceptedToReceived.stream().mapToLong(Long::longValue).sorted().toArray();
        int puts = Arrays.stream(putCount).sum();
        long[] pl = new long[puts];
        for (int c = 0, k = 0; c < clients; c++) {
            System.arraycopy(putLatency[c], 0, pl, k, putCount[c]);
            k += putCount[c];
        }
        Arrays.sort(pl);

        System.out.println();
        System.out.println("per 10 s of receive time (relative to the window's start): healthy deliveries/s, stored-to-received p50/p99 ms");
        for (Map.Entry<Long, List<Long>> e : buckets.entrySet()) {
            long[] b = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  [%4ds,%4ds) %6.0f/s p50=%8.1f p99=%8.1f%n", e.getKey() * 10, e.getKey() * 10 + 10,
                    b.length / 10.0, pct(b, 0.50) / 1000.0, pct(b, 0.99) / 1000.0);
        }
        System.out.println();
        System.out.printf("window=%.1fs puts_accepted=%d puts_per_s=%.0f put_p50_ms=%.1f put_p99_ms=%.1f put_errors=%d new_orders=%d%n",
                window, accepted.get(), accepted.get() / window, pct(pl, 0.50) / 1000.0, pct(pl, 0.99) / 1000.0,
                errors.get(), newOrders.get());
        System.out.printf("healthy_received_in_window=%d healthy_deliveries_per_s=%.0f per_subscriber_min=%d per_subscriber_max=%d%n",
                inWindow, inWindow / window, minPer, maxPer);
        System.out.printf("stored_to_received_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f (n=%d, deliveries received in the window)%n",
                pct(st, 0.50) / 1000.0, pct(st, 0.90) / 1000.0, pct(st, 0.99) / 1000.0, pct(st, 1.0) / 1000.0, st.length);
        System.out.printf("accepted_to_received_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f (PUT 202 to receipt, includes the bus; n=%d)%n",
                pct(ac, 0.50) / 1000.0, pct(ac, 0.90) / 1000.0, pct(ac, 0.99) / 1000.0, pct(ac, 1.0) / 1000.0, ac.length);
        System.out.printf("healthy_pending window_start=%d window_end=%d; drain: %s in %.1fs, %d received, %.0f/s%n",
                healthyAtStart, healthyAtEnd, left == 0 ? "emptied" : "NOT emptied (" + left + " left)",
                (drainEnd - putsStopped) / 1000.0, inDrain, inDrain * 1000.0 / Math.max(1, drainEnd - putsStopped));
        System.out.printf("dead_pending window_start=%d window_end=%d after_drain=%d growth_in_window_per_s=%.0f dead_connections=%d%n",
                deadAtStart, deadAtEnd, deadAfterDrain, (deadAtEnd - deadAtStart) / window, deadConnections.get());
        System.out.printf("dead_journal_at_end PENDING=%d DELIVERED=%d FAILED=%d (GET .../deliveries?status=, page.total)%n",
                total(adminKey, webhooks[HEALTHY], "PENDING"), total(adminKey, webhooks[HEALTHY], "DELIVERED"),
                total(adminKey, webhooks[HEALTHY], "FAILED"));
        System.out.printf("healthy_received_total=%d duplicates=%d unparsed=%d%n", total, duplicates, unparsed);
        System.out.printf("window_start_ms=%d window_end_ms=%d puts_stopped_ms=%d drain_end_ms=%d run=%s%n",
                windowStart, windowEnd, putsStopped, drainEnd, run);

        for (HttpServer s : servers) {
            s.stop(0);
        }
        dead.close();
        System.exit(0);
    }

    /** One delivery: envelope id, time and subject; the payload's version; recorded against receive time. */
    static void record(Receiver r, String envelope, long receivedMicros) {
        try {
            String id = field(envelope, "id");
            String time = field(envelope, "time");
            String subject = field(envelope, "subject");
            String data = field(envelope, "data");
            if (id == null || time == null) {
                r.unparsed.incrementAndGet();
                return;
            }
            if (!r.seen.add(id)) {
                r.duplicates.incrementAndGet();
            }
            long storedLag = receivedMicros - micros(Instant.parse(time));
            long acceptedLag = -1;
            if (subject != null && data != null) {
                String payload = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
                Matcher m = CART.matcher(payload);
                if (m.find()) {
                    Long acc = acceptedAt.get(subject.substring(subject.indexOf('/') + 1) + "#" + m.group(1));
                    if (acc != null) {
                        acceptedLag = receivedMicros - acc;
                    }
                }
            }
            r.add(receivedMicros / 1000, storedLag, acceptedLag);
        } catch (RuntimeException e) {
            r.unparsed.incrementAndGet();
        }
    }

    /** A top-level string field of the envelope (the hub writes compact JSON; the values have no escapes). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int from = i + key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    static long pending(String key, String webhook) {
        return total(key, webhook, "PENDING");
    }

    /** page.total of a subscription's journal in one status. */
    static long total(String key, String webhook, String status) {
        try {
            String body = call("GET", "/api/v1/webhooks/" + webhook + "/deliveries?status=" + status + "&take=1", key, null, 200);
            Matcher m = Pattern.compile("\"total\":(\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static long healthyPending(String key, String[] webhooks) {
        long sum = 0;
        for (int i = 0; i < HEALTHY; i++) {
            long p = pending(key, webhooks[i]);
            if (p < 0) {
                return -1;
            }
            sum += p;
        }
        return sum;
    }

    static String call(String method, String path, String token, String json, int... ok) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int s : ok) {
            if (r.statusCode() == s) {
                return r.body();
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }

    static String apiKey(String body) {
        Matcher m = Pattern.compile("\"apiKey\":\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no apiKey in " + body);
        }
        return m.group(1);
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
    }

    /** The document of IngestBench.order: a v2 order of 2-5 lines and 1-2 fulfilments, about 3 KB; version v is a
     * later snapshot than v-1 (its cartName is "v" + version, which the receivers read back). */
    static String order(String id, int version, Random r) {
        int lines = 2 + r.nextInt(4);
        int fulfilments = 1 + r.nextInt(2);
        String changed = Instant.parse("2026-03-01T10:00:00Z").plusSeconds(version).toString();
        String bu = "S" + Math.abs(id.hashCode() % 20);
        StringBuilder items = new StringBuilder();
        for (int l = 1; l <= lines; l++) {
            if (l > 1) {
                items.append(',');
            }
            items.append(String.format(
                    "{\"lineItemId\":\"%d\",\"itemId\":\"SKU-%05d\",\"itemName\":\"Outdoor item number %d with a longer name\","
                            + "\"itemType\":\"STOCK\",\"quantity\":{\"value\":%d,\"unitOfMeasure\":\"EA\"},\"unitPrice\":%d.95,"
                            + "\"taxableGroupId\":\"VAT25\",\"itemCategoryId\":\"CAT-%d\",\"isBonusEligible\":true,"
                            + "\"unitDiscounts\":[{\"rewardType\":\"PRICE_REDUCTION\",\"discountId\":\"D-%d\",\"discountAmount\":1.50,\"discountText\":\"Spring campaign\"}]}",
                    l, r.nextInt(99999), l, 1 + r.nextInt(3), 5 + r.nextInt(200), r.nextInt(40), l));
        }
        StringBuilder fs = new StringBuilder();
        for (int f = 1; f <= fulfilments; f++) {
            if (f > 1) {
                fs.append(',');
            }
            boolean store = f == 1;
            StringBuilder fl = new StringBuilder();
            for (int l = 1; l <= lines; l++) {
                if ((l + f) % fulfilments != 0 && fulfilments > 1) {
                    continue;
                }
                if (fl.length() > 0) {
                    fl.append(',');
                }
                fl.append(String.format("{\"lineItemId\":\"%d\",\"itemId\":\"SKU-%d\",\"orderedQuantity\":1,\"quantity\":0,"
                        + "\"status\":{\"status\":\"CREATED\",\"changedDateTime\":\"%s\"}}", l, l, changed));
            }
            fs.append(String.format("{\"fulfillmentId\":\"F%d\",\"fulfillmentMethod\":\"%s\",%s\"status\":{\"status\":\"CREATED\","
                            + "\"changedDateTime\":\"%s\"},\"lineItems\":[%s],\"deliveryAddress\":{\"name\":\"Alex Example\","
                            + "\"line1\":\"Long Street 12\",\"city\":\"Stockholm\",\"countryCode\":\"SE\",\"postalCode\":\"11122\","
                            + "\"daytimePhoneNumber\":\"+46701234567\",\"email\":\"alex.example@example.com\"}}",
                    f, store ? "PICKUP_IN_STORE" : "HOME_DELIVERY_FROM_WAREHOUSE",
                    store ? "\"fulfillmentBusinessUnitId\":\"" + bu + "\"," : "", changed, fl));
        }
        return String.format("{\"customerOrder\":{\"customerOrderId\":\"%s\",\"status\":{\"status\":\"%s\",\"changedDateTime\":\"%s\"},"
                        + "\"currencyId\":\"SEK\",\"orderOrigin\":\"WEB\",\"cartName\":\"v%d\",\"items\":[%s],\"fulfillments\":[%s],"
                        + "\"tenders\":[{\"tenderLineItemId\":\"T1\",\"tenderId\":\"CARD\",\"amount\":499.00}],"
                        + "\"customer\":{\"customerId\":\"C-%s\",\"name\":\"Alex Example\",\"address\":{\"name\":\"Alex Example\","
                        + "\"line1\":\"Long Street 12\",\"city\":\"Stockholm\",\"countryCode\":\"SE\",\"postalCode\":\"11122\"}}}}",
                id, version % 2 == 0 ? "IN_PROGRESS" : "CREATED", changed, version, items, fs, id);
    }
}
