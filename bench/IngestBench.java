import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest load: CLIENTS concurrent clients PUT realistic v2 order snapshots (2-5 lines, 1-2 fulfilments, about 3 KB),
 * many updates per order, for a warm-up and then a measured window. Prints accepted/s and PUT latency percentiles,
 * and the measured window's start and end (epoch millis) so the script can read apply figures from the database.
 * Usage: java IngestBench.java <baseUrl>[,<baseUrl>...] <apiKey> <seconds> <clients>
 */
public class IngestBench {

    static final int WARMUP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "30"));

    public static void main(String[] args) throws Exception {
        // one hub, or several separated by commas: client c talks to hub c mod n
        String[] bases = args[0].split(",");
        String key = args[1];
        int seconds = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long[][] perClient = new long[clients][];
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            String base = bases[c % bases.length];
            perClient[c] = new long[2_000_000];
            Thread t = new Thread(() -> {
                Random random = new Random(client);
                int ordersPerClient = 50;
                int[] versions = new int[ordersPerClient];
                int i = 0;
                while (running.get()) {
                    int o = i++ % ordersPerClient;
                    versions[o]++;
                    String id = run + "-" + client + "-" + o;
                    String body = order(id, versions[o], new Random(id.hashCode()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/business-units/S" + (client % 20) + "/customer-orders/" + id))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        long micros = (System.nanoTime() - start) / 1000;
                        if (r.statusCode() != 202) {
                            errors.incrementAndGet();
                        } else if (measuring.get() && counts[client] < perClient[client].length) {
                            perClient[client][counts[client]++] = micros;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                done.countDown();
            });
            t.start();
        }
        Thread.sleep(WARMUP_SECONDS * 1000L);
        measuring.set(true);
        long windowStart = System.currentTimeMillis();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long windowEnd = System.currentTimeMillis();
        running.set(false);
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perClient[c], 0, all, k, counts[c]);
            k += counts[c];
        }
        Arrays.sort(all);
        double seconds_ = (windowEnd - windowStart) / 1000.0;
        System.out.printf("clients=%d window=%.1fs accepted=%d accepted_per_s=%.0f put_p50_ms=%.1f put_p99_ms=%.1f errors=%d%n",
                clients, seconds_, total, total / seconds_, pct(all, 0.50) / 1000.0, pct(all, 0.99) / 1000.0, errors.get());
        System.out.printf("window_start_ms=%d window_end_ms=%d run=%s%n", windowStart, windowEnd, run);
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** A v2 order of 2-5 lines and 1-2 fulfilments, about 3 KB; version v is a later snapshot than v-1. */
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
