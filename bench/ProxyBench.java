import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Proxy overhead (issue 3): the same order GET straight to a fast local OMS stub and through the hub (a tenant in proxy
 * mode whose proxyBaseUrl is that stub, basic auth configured), at CLIENTS concurrent clients.
 *
 * <p>Starts the stub itself (JDK HttpServer on 127.0.0.1:stubPort, a fixed pool of BENCH_STUB_THREADS threads,
 * answering the OMS shape of domain.md for any order id at once, 401 without Basic auth), then runs, one after the
 * other and each for the same measured duration:
 *
 * <ol>
 *   <li>a warm-up (BENCH_WARMUP_SECONDS, default 120 s) through every path, discarded: after 20 s the hub's JIT
 *       compiler threads still take a quarter of a core and the hub serves half the proxied GETs/s it serves warm;
 *   <li>{@code alternating}: every client alternates one GET straight to the stub and one through the hub, so both
 *       paths see the same machine at the same moment: the latency comparison (added p50/p99) comes from here;
 *   <li>{@code direct_only} and {@code hub_only}: each path alone, for throughput (alternating halves each rate);
 *   <li>reference phases (BENCH_REFERENCE, {@code name=/path,...}): other hub GETs measured the same way, to tell the
 *       proxy path's own cost from the stack's (e.g. a trivial actuator GET, an API GET without an OMS call).
 * </ol>
 *
 * <p>Per phase and path: requests/s, p50/p99/p99.9 (ms, successful requests only), errors by status, and where the
 * CPU went (from /proc; 100 = one core): the hub (BENCH_HUB_PID), PostgreSQL (BENCH_PG_PID and its children), this
 * program (load generator and stub) and everything else on the machine.
 *
 * <p>Usage: java ProxyBench.java &lt;stubPort&gt; &lt;hubBaseUrl&gt; &lt;storeKey&gt; [seconds, default 30]. Env:
 * BENCH_WARMUP_SECONDS (120), BENCH_CLIENTS (16), BENCH_STUB_THREADS (32), BENCH_BU (S1), BENCH_REFERENCE,
 * BENCH_REFERENCE_KEY (the bearer key sent on reference paths under /api/), BENCH_HUB_PID, BENCH_PG_PID,
 * BENCH_PHASES (alternating,direct_only,hub_only,reference).
 */
public class ProxyBench {

    static final int WARMUP = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "120"));
    static final int CLIENTS = Integer.parseInt(env("BENCH_CLIENTS", "16"));
    static final int STUB_THREADS = Integer.parseInt(env("BENCH_STUB_THREADS", "32"));
    static final String BU = env("BENCH_BU", "S1");
    static final String OMS_BASIC = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    static final LongAdder stubRequests = new LongAdder();
    static final LongAdder stubUnauthorized = new LongAdder();

    public static void main(String[] args) throws Exception {
        int stubPort = Integer.parseInt(args[0]);
        String hub = args[1].replaceAll("/$", "");
        String storeKey = args[2];
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        String stub = "http://127.0.0.1:" + stubPort;

        startStub(stubPort);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        // direct: what the hub itself sends the OMS (same path, Basic auth, Accept); hub: the proxied read
        Target direct = new Target("direct", id -> request(stub + "/business-units/" + BU + "/customer-orders/" + id,
                OMS_BASIC));
        Target viaHub = new Target("hub", id -> request(hub + "/api/v1/business-units/" + BU + "/customer-orders/" + id,
                "Bearer " + storeKey));

        // one of each first: a misconfigured hub must fail the run, not produce a table of errors
        for (Target t : List.of(direct, viaHub)) {
            HttpResponse<String> r = http.send(t.request("CHECK-1"), HttpResponse.BodyHandlers.ofString());
            String body = r.body().length() > 400 ? r.body().substring(0, 400) + "..." : r.body();
            System.out.println("check_" + t.name + "_status=" + r.statusCode() + " check_" + t.name + "_body=" + body);
            if (r.statusCode() != 200) {
                System.out.println("error=the " + t.name + " check did not answer 200; stopping");
                System.exit(2);
            }
        }

        List<String> phases = List.of(env("BENCH_PHASES", "alternating,direct_only,hub_only,reference").split(","));
        System.out.printf("clients=%d warmup_s=%d phase_s=%d stub_threads=%d bu=%s cores=%d%n", CLIENTS, WARMUP, seconds,
                STUB_THREADS, BU, Runtime.getRuntime().availableProcessors());

        List<Target> references = new ArrayList<>();
        if (phases.contains("reference") && !env("BENCH_REFERENCE", "").isBlank()) {
            String refKey = env("BENCH_REFERENCE_KEY", "");
            for (String spec : env("BENCH_REFERENCE", "").split(",")) {
                String[] nameAndPath = spec.trim().split("=", 2);
                String path = nameAndPath[1];
                String auth = path.startsWith("/api/") && !refKey.isEmpty() ? "Bearer " + refKey : null;
                references.add(new Target(nameAndPath[0], id -> request(hub + path, auth)));
            }
        }
        // the warm-up goes through every path measured later (mostly the two compared), so that none is measured
        // while the JIT is still compiling it
        List<Target> warmup = new ArrayList<>(List.of(direct, viaHub, direct, viaHub));
        warmup.addAll(references);
        run(http, "warmup", warmup, WARMUP, false);
        Map<String, Stats> alternating = null;
        if (phases.contains("alternating")) {
            alternating = run(http, "alternating", List.of(direct, viaHub), seconds, true);
        }
        if (phases.contains("direct_only")) {
            run(http, "direct_only", List.of(direct), seconds, true);
        }
        if (phases.contains("hub_only")) {
            run(http, "hub_only", List.of(viaHub), seconds, true);
        }
        for (Target ref : references) {
            run(http, "reference_" + ref.name, List.of(ref), Math.min(seconds, 20), true);
        }
        if (alternating != null) {
            Stats d = alternating.get("direct");
            Stats h = alternating.get("hub");
            System.out.printf("added_p50_ms=%.2f added_p99_ms=%.2f added_p999_ms=%.2f (alternating: hub minus direct)%n",
                    (h.pct(0.50) - d.pct(0.50)) / 1000.0, (h.pct(0.99) - d.pct(0.99)) / 1000.0,
                    (h.pct(0.999) - d.pct(0.999)) / 1000.0);
        }
        System.out.printf("stub_requests=%d stub_unauthorized=%d%n", stubRequests.sum(), stubUnauthorized.sum());
        System.exit(0);
    }

    record Target(String name, java.util.function.Function<String, HttpRequest> factory) {
        HttpRequest request(String id) {
            return factory.apply(id);
        }
    }

    static HttpRequest request(String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    /** Latencies (micros) of one path in one client thread, and its failures by status (0 = exception). */
    static final class Recorder {
        long[] micros = new long[1 << 14];
        int n;
        final Map<Integer, Integer> errors = new TreeMap<>();

        void ok(long us) {
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
            }
            micros[n++] = us;
        }
    }

    static final class Stats {
        final long[] sorted;
        final Map<Integer, Integer> errors = new TreeMap<>();

        Stats(List<Recorder> recorders) {
            int total = recorders.stream().mapToInt(r -> r.n).sum();
            sorted = new long[total];
            int k = 0;
            for (Recorder r : recorders) {
                System.arraycopy(r.micros, 0, sorted, k, r.n);
                k += r.n;
                r.errors.forEach((s, c) -> errors.merge(s, c, Integer::sum));
            }
            Arrays.sort(sorted);
        }

        long pct(double p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Runs CLIENTS threads for the given seconds, each cycling through the targets (one request each in turn). */
    static Map<String, Stats> run(HttpClient http, String phase, List<Target> targets, int seconds, boolean print)
            throws Exception {
        System.out.println("phase_start=" + phase + " at_ms=" + System.currentTimeMillis());
        System.out.flush();
        HubThreads threadsBefore = HubThreads.sample();
        Cpu before = Cpu.sample();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Recorder[][] rec = new Recorder[CLIENTS][targets.size()];
        CountDownLatch done = new CountDownLatch(CLIENTS);
        long t0 = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            for (int t = 0; t < targets.size(); t++) {
                rec[c][t] = new Recorder();
            }
            Thread thread = new Thread(() -> {
                // clients start on different targets so that half the clients hit each path at any moment
                int i = client;
                long seq = 0;
                while (System.nanoTime() < end) {
                    int t = i++ % targets.size();
                    String id = "P-" + client + "-" + (seq++ % 500);
                    HttpRequest request = targets.get(t).request(id);
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        long us = (System.nanoTime() - start) / 1000;
                        if (r.statusCode() == 200) {
                            rec[client][t].ok(us);
                        } else {
                            rec[client][t].errors.merge(r.statusCode(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        rec[client][t].errors.merge(0, 1, Integer::sum);
                    }
                }
                done.countDown();
            }, phase + "-client-" + c);
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Cpu after = Cpu.sample();
        HubThreads threadsAfter = HubThreads.sample();
        Map<String, Stats> out = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            List<Recorder> rs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                rs.add(rec[c][t]);
            }
            out.put(targets.get(t).name, new Stats(rs));
        }
        if (print) {
            for (Map.Entry<String, Stats> e : out.entrySet()) {
                Stats s = e.getValue();
                System.out.printf("phase=%s path=%s requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.1f errors=%d%s%n",
                        phase, e.getKey(), s.sorted.length, s.sorted.length / elapsed, s.pct(0.50) / 1000.0,
                        s.pct(0.99) / 1000.0, s.pct(0.999) / 1000.0,
                        s.sorted.length == 0 ? 0.0 : s.sorted[s.sorted.length - 1] / 1000.0, s.errorCount(),
                        s.errors.isEmpty() ? "" : " errors_by_status=" + s.errors);
            }
            System.out.println("phase=" + phase + " " + Cpu.diff(before, after, elapsed));
            System.out.println("phase=" + phase + " " + HubThreads.diff(threadsBefore, threadsAfter, elapsed));
        }
        return out;
    }

    /** CPU ticks from /proc: the whole machine, the hub, PostgreSQL (postmaster and its children), this JVM. */
    record Cpu(long busy, long hub, long pg, long self) {
        static final long HUB = Long.parseLong(env("BENCH_HUB_PID", "0"));
        static final long PG = Long.parseLong(env("BENCH_PG_PID", "0"));
        static final long SELF = ProcessHandle.current().pid();
        static final double HZ = Double.parseDouble(env("BENCH_CLK_TCK", "100"));

        static Cpu sample() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // user nice system idle iowait irq softirq steal
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
                long hub = 0, pg = 0, self = 0;
                try (var dirs = Files.list(Path.of("/proc"))) {
                    for (Path p : (Iterable<Path>) dirs::iterator) {
                        String name = p.getFileName().toString();
                        if (!name.chars().allMatch(Character::isDigit)) {
                            continue;
                        }
                        String stat;
                        try {
                            stat = Files.readString(p.resolve("stat"));
                        } catch (IOException gone) {
                            continue;
                        }
                        long pid = Long.parseLong(name);
                        String[] s = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ppid = Long.parseLong(s[1]);
                        long ticks = Long.parseLong(s[11]) + Long.parseLong(s[12]);
                        if (pid == HUB) {
                            hub += ticks;
                        } else if (PG != 0 && (pid == PG || ppid == PG)) {
                            pg += ticks;
                        } else if (pid == SELF) {
                            self += ticks;
                        }
                    }
                }
                return new Cpu(busy, hub, pg, self);
            } catch (Exception e) {
                return new Cpu(0, 0, 0, 0);
            }
        }

        /** Percent of one core over the window (backends that ended inside it are missed: they are few). */
        static String diff(Cpu a, Cpu b, double seconds) {
            double k = 100.0 / HZ / seconds;
            double busy = (b.busy - a.busy) * k, hub = (b.hub - a.hub) * k, pg = (b.pg - a.pg) * k,
                    self = (b.self - a.self) * k;
            return String.format("cpu_hub=%.0f%% cpu_postgres=%.0f%% cpu_bench_and_stub=%.0f%% cpu_others=%.0f%% cpu_machine=%.0f%%",
                    hub, pg, self, Math.max(0, busy - hub - pg - self), busy);
        }
    }

    /**
     * The hub's CPU by thread (from /proc/HUB/task): user and system time, and per thread group (the thread name with
     * its numbers replaced by #, as the kernel keeps it: 15 characters). Threads not there at the end of the window
     * (in the hub: one thread per OMS call, see docs/performance.md) are counted together as "short-lived threads":
     * the process's time less that of the threads still there.
     */
    record HubThreads(long user, long system, Map<Long, String> names, Map<Long, Long> ticks) {
        static HubThreads sample() {
            Map<Long, String> names = new java.util.HashMap<>();
            Map<Long, Long> ticks = new java.util.HashMap<>();
            if (Cpu.HUB == 0) {
                return new HubThreads(0, 0, names, ticks);
            }
            try {
                String[] p = afterName(Files.readString(Path.of("/proc/" + Cpu.HUB + "/stat")));
                try (var dirs = Files.list(Path.of("/proc/" + Cpu.HUB + "/task"))) {
                    for (Path t : (Iterable<Path>) dirs::iterator) {
                        try {
                            String stat = Files.readString(t.resolve("stat"));
                            String[] f = afterName(stat);
                            long tid = Long.parseLong(t.getFileName().toString());
                            names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#"));
                            ticks.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                        } catch (IOException | RuntimeException gone) {
                            // the thread ended while we read
                        }
                    }
                }
                return new HubThreads(Long.parseLong(p[11]), Long.parseLong(p[12]), names, ticks);
            } catch (Exception e) {
                return new HubThreads(0, 0, names, ticks);
            }
        }

        private static String[] afterName(String stat) {
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        }

        static String diff(HubThreads a, HubThreads b, double seconds) {
            double k = 100.0 / Cpu.HZ / seconds;
            Map<String, Long> groups = new java.util.HashMap<>();
            long threads = 0;
            int started = 0;
            for (Map.Entry<Long, Long> e : b.ticks.entrySet()) {
                Long before = a.ticks.get(e.getKey());
                if (before == null) {
                    started++;
                }
                long d = e.getValue() - (before == null ? 0 : before);
                groups.merge(b.names.get(e.getKey()), d, Long::sum);
                threads += d;
            }
            long ended = a.ticks.keySet().stream().filter(t -> !b.ticks.containsKey(t)).count();
            long total = (b.user + b.system) - (a.user + a.system);
            StringBuilder out = new StringBuilder(String.format(
                    "hub_cpu_user=%.0f%% hub_cpu_system=%.0f%% hub_threads_started=%d hub_threads_ended=%d hub_cpu_by_thread:",
                    (b.user - a.user) * k, (b.system - a.system) * k, started, ended));
            groups.put("(short-lived threads)", Math.max(0, total - threads));
            groups.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(8)
                    .forEach(e -> out.append(String.format(" [%s]=%.0f%%", e.getKey(), e.getValue() * k)));
            return out.toString();
        }
    }

    /** The OMS stub: the OMS shape of domain.md for any order id, at once; 401 without Basic auth. */
    static void startStub(int port) throws IOException {
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(STUB_THREADS);
        server.setExecutor(pool);
        byte[] unauthorized = "{\"error\":\"basic auth required\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                in.readAllBytes();
                stubRequests.increment();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (auth == null || !auth.startsWith("Basic ")) {
                    stubUnauthorized.increment();
                    exchange.sendResponseHeaders(401, unauthorized.length);
                    out.write(unauthorized);
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String id = path.substring(path.lastIndexOf('/') + 1);
                byte[] body = ("{\"customerOrder\":{\"customerOrderId\":\"" + id + "\",\"customerId\":\"C9\","
                                + "\"status\":\"CREATED\",\"minimumDownPaymentAmount\":0,\"isLocked\":false,"
                                + "\"invoicePaymentInstructions\":{\"customerAccountId\":\"\",\"invoicingAmount\":0,"
                                + "\"additionalInformation\":[]},\"items\":[{\"itemId\":\"I1\",\"quantityOrdered\":2,"
                                + "\"unitPrice\":9.95},{\"itemId\":\"I2\",\"quantityOrdered\":1,\"unitPrice\":24.50}]}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        server.start();
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }
}
