import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search latency: POST /api/v1/business-units/{bu}/customer-orders:search over HTTP, each request with the key of one
 * store (restricted to it) searching as that store. After a warm-up of all kinds mixed, each kind of search runs alone,
 * first with one client, then with CLIENTS concurrent clients, for a fixed window; latency percentiles are per kind and
 * concurrency, from the client (the whole request: HTTP, security, count, page and fulfilments).
 *
 * <p>Kinds: a last name (4+ letters) as customerName, a 3-letter fragment as customerName, the status list
 * [CREATED, IN_PROGRESS], the fulfillmentStatus list [READY_FOR_PICKUP], and an orderCode (one that the store's
 * counter would see: the code of a fulfilment at that store).
 *
 * <p>Usage: java SearchBench.java <baseUrl> <keysFile: "store key" lines> <codesFile: "orderCode store" lines>
 * Environment: BENCH_CLIENTS (4), BENCH_WARMUP_SECONDS (20), BENCH_PHASE_SECONDS (20).
 */
public class SearchBench {

    static final int CLIENTS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CLIENTS", "4"));
    static final int WARMUP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "20"));
    static final int PHASE_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_PHASE_SECONDS", "20"));

    /** Last names of the seed, from the commonest (about 3.5% of customers) to rare ones (about 0.3%). */
    static final List<String> LAST_NAMES =
            List.of("Andersson", "Lindqvist", "Berglund", "holmberg", "Wikström", "NORDIN", "Kowalski", "Sandberg");
    /** Three letters a clerk may have typed so far: from very common (son: every -son name) to rarer. */
    static final List<String> FRAGMENTS = List.of("son", "lin", "ber", "eri", "ist", "ahm");

    static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");

    record Query(String kind, String label, String store, String body) {}

    /** One kind of search: makes the next query. */
    interface Kind {
        String name();

        Query next(ThreadLocalRandom r);
    }

    record Sample(String label, long micros, long total) {}

    static List<String> stores;
    static Map<String, String> keys = new LinkedHashMap<>();
    static List<String[]> codes = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2) {
                keys.put(p[0], p[1]);
            }
        }
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2 && keys.containsKey(p[1])) {
                codes.add(p);
            }
        }
        stores = List.copyOf(keys.keySet());
        if (stores.isEmpty() || codes.isEmpty()) {
            throw new IllegalArgumentException("no store keys or no order codes of those stores");
        }
        List<Kind> kinds = List.of(
                kind("name_last", r -> {
                    String n = LAST_NAMES.get(r.nextInt(LAST_NAMES.size()));
                    return new Query("name_last", n, store(r), "{\"customerName\":\"" + n + "\"}");
                }),
                kind("name_3letters", r -> {
                    String n = FRAGMENTS.get(r.nextInt(FRAGMENTS.size()));
                    return new Query("name_3letters", n, store(r), "{\"customerName\":\"" + n + "\"}");
                }),
                kind("status", r -> new Query("status", "CREATED,IN_PROGRESS", store(r),
                        "{\"status\":[\"CREATED\",\"IN_PROGRESS\"]}")),
                kind("fulfillment_status", r -> new Query("fulfillment_status", "READY_FOR_PICKUP", store(r),
                        "{\"fulfillmentStatus\":[\"READY_FOR_PICKUP\"]}")),
                kind("order_code", r -> {
                    String[] c = codes.get(r.nextInt(codes.size()));
                    return new Query("order_code", "code", c[1], "{\"orderCode\":\"" + c[0] + "\"}");
                }));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        System.out.printf("stores=%s codes=%d clients=%d warmup=%ds phase=%ds%n",
                stores, codes.size(), CLIENTS, WARMUP_SECONDS, PHASE_SECONDS);
        Kind mixed = kind("mixed", r -> kinds.get(r.nextInt(kinds.size())).next(r));
        run(http, base, mixed, CLIENTS, WARMUP_SECONDS);

        System.out.println("kind clients count per_s p50_ms p90_ms p99_ms max_ms errors mean_total");
        List<String> details = new ArrayList<>();
        for (int clients : new int[] {1, CLIENTS}) {
            for (Kind k : kinds) {
                Result res = run(http, base, k, clients, PHASE_SECONDS);
                long[] all = res.samples.stream().mapToLong(Sample::micros).sorted().toArray();
                System.out.printf("%-18s %d %6d %6.1f %7.1f %7.1f %7.1f %7.1f %d %.0f%n",
                        k.name(), clients, all.length, all.length / res.seconds, pct(all, 0.50), pct(all, 0.90),
                        pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1000.0, res.errors,
                        res.samples.stream().mapToLong(Sample::total).average().orElse(0));
                if (k.name().startsWith("name")) {
                    Map<String, List<Sample>> byLabel = new LinkedHashMap<>();
                    res.samples.forEach(s -> byLabel.computeIfAbsent(s.label, x -> new ArrayList<>()).add(s));
                    byLabel.forEach((label, ss) -> {
                        long[] l = ss.stream().mapToLong(Sample::micros).sorted().toArray();
                        details.add(String.format("  %-14s %d %-10s n=%-5d p50=%.1f p99=%.1f max=%.1f mean_total=%.0f",
                                k.name(), clients, label, l.length, pct(l, 0.5), pct(l, 0.99), l[l.length - 1] / 1000.0,
                                ss.stream().mapToLong(Sample::total).average().orElse(0)));
                    });
                }
                if (k.name().equals("order_code")) {
                    long misses = res.samples.stream().filter(s -> s.total != 1).count();
                    details.add(String.format("  order_code     %d found_exactly_one=%d of %d", clients,
                            res.samples.size() - misses, res.samples.size()));
                }
            }
        }
        System.out.println("per value (ms):");
        details.forEach(System.out::println);
    }

    static String store(ThreadLocalRandom r) {
        return stores.get(r.nextInt(stores.size()));
    }

    static Kind kind(String name, java.util.function.Function<ThreadLocalRandom, Query> next) {
        return new Kind() {
            public String name() {
                return name;
            }

            public Query next(ThreadLocalRandom r) {
                return next.apply(r);
            }
        };
    }

    record Result(List<Sample> samples, long errors, double seconds) {}

    /** {@code clients} threads searching {@code kind} back to back for {@code seconds}. */
    static Result run(HttpClient http, String base, Kind kind, int clients, int seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<List<Sample>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Sample> mine = new ArrayList<>();
            perClient.add(mine);
            Thread t = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (running.get()) {
                    Query q = kind.next(r);
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create(base + "/api/v1/business-units/" + q.store + "/customer-orders:search"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + keys.get(q.store))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(q.body))
                            .build();
                    // a request started inside the window counts, however long it takes
                    boolean inWindow = running.get();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long micros = (System.nanoTime() - start) / 1000;
                        Matcher m = TOTAL.matcher(resp.body());
                        if (resp.statusCode() != 200 || !m.find()) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("error " + resp.statusCode() + " for " + q + ": " + resp.body());
                            }
                        } else if (inWindow) {
                            mine.add(new Sample(q.label, micros, Long.parseLong(m.group(1))));
                        }
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("error for " + q + ": " + e);
                        }
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Thread t : threads) {
            t.join();
        }
        List<Sample> all = new ArrayList<>();
        perClient.forEach(all::addAll);
        return new Result(all, errors.get(), elapsed);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }
}
