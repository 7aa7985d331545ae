package io.orderhub.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.orders.OrderJson;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's JSONata mappings: compiled once, compiled again when the file changes, shared by threads. */
class OmsMappingsTest {

    private static final Path SHIPPED = Path.of("config/mappings/oms-customer-order.jsonata");

    @TempDir
    Path dir;

    @Test
    void anEditedMappingAppliesToTheNextRequest() throws Exception {
        Path file = dir.resolve("m.jsonata");
        FileTime first = FileTime.fromMillis(1_700_000_000_000L);
        Files.writeString(file, "{\"v\": \"one\", \"id\": oms.id}");
        Files.setLastModifiedTime(file, first);
        OmsMappings mappings = new OmsMappings(dir);
        JsonNode input = OrderJson.parse("{\"oms\": {\"id\": \"A1\"}}".getBytes());

        assertThat(mappings.map("m.jsonata", input).toString()).isEqualTo("{\"v\":\"one\",\"id\":\"A1\"}");

        // same size, a later modification time
        Files.writeString(file, "{\"v\": \"two\", \"id\": oms.id}");
        Files.setLastModifiedTime(file, FileTime.fromMillis(first.toMillis() + 1_000));
        assertThat(mappings.map("m.jsonata", input).toString()).isEqualTo("{\"v\":\"two\",\"id\":\"A1\"}");

        // the same modification time, another size (a copy that kept the time)
        Files.writeString(file, "{\"v\": \"three\", \"id\": oms.id}");
        Files.setLastModifiedTime(file, FileTime.fromMillis(first.toMillis() + 1_000));
        assertThat(mappings.map("m.jsonata", input).toString()).isEqualTo("{\"v\":\"three\",\"id\":\"A1\"}");
    }

    /**
     * A mapping keeps nothing from one request to the next, also on the thread that compiled it: JSONata makes a new
     * expression that thread's evaluation state, and evaluated there each request used to extend the expression's
     * own frame, so a variable bound at its top level showed up in the next request (and every lookup got slower).
     */
    @Test
    void nothingOfOneRequestIsSeenByTheNext() throws Exception {
        Files.writeString(
                dir.resolve("v.jsonata"), "{\"before\": $seen ? $seen : \"nothing\", \"id\": $seen := oms.id}");
        OmsMappings mappings = new OmsMappings(dir);

        JsonNode first = mappings.map("v.jsonata", OrderJson.parse("{\"oms\": {\"id\": \"A1\"}}".getBytes()));
        JsonNode second = mappings.map("v.jsonata", OrderJson.parse("{\"oms\": {\"id\": \"B2\"}}".getBytes()));

        assertThat(first.toString()).isEqualTo("{\"before\":\"nothing\",\"id\":\"A1\"}");
        assertThat(second.toString()).isEqualTo("{\"before\":\"nothing\",\"id\":\"B2\"}");
    }

    @Test
    void decimalsReachTheMappingAsNumbersAndComeBackUnchanged() throws Exception {
        Files.writeString(dir.resolve("n.jsonata"), "{\"price\": oms.price, \"twice\": oms.price * 2}");
        JsonNode input = OrderJson.parse("{\"oms\": {\"price\": 9.95}}".getBytes());

        JsonNode mapped = new OmsMappings(dir).map("n.jsonata", input);

        assertThat(OrderJson.write(mapped)).isEqualTo("{\"price\":9.95,\"twice\":19.9}");
    }

    @Test
    void aMissingMappingIsAnErrorNamingTheFile() {
        OmsMappings mappings = new OmsMappings(dir);
        JsonNode input = OrderJson.MAPPER.createObjectNode();

        assertThatThrownBy(() -> mappings.map("absent.jsonata", input))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("absent.jsonata");
    }

    /**
     * The shipped order mapping, shared by eight threads mapping different orders at once, gives for each order what
     * a mapping compiled for that one call gives (camel-jsonata's way, before the cache).
     */
    @Test
    void oneCompiledMappingServesManyThreadsAtOnce() throws Exception {
        Files.copy(SHIPPED, dir.resolve("order.jsonata"));
        sharedByThreads(Files.readString(SHIPPED));
    }

    /**
     * The same with a mapping that reads the input through {@code $$}, which JSONata looks up in the evaluation's
     * frame: evaluated without a frame of its own, the threads' inputs would be bound in one shared frame.
     */
    @Test
    void aMappingReadingTheRootServesManyThreadsAtOnce() throws Exception {
        String text = "(\n  $lines := function($o) { $count($o.items) };\n"
                + "  {\"customerOrder\": {\"customerOrderId\": $$.oms.customerOrder.customerOrderId,"
                + " \"items\": [$$.oms.customerOrder.items.{\"lineItemId\": itemId}],"
                + " \"lines\": $lines($$.oms.customerOrder)}}\n)";
        Files.writeString(dir.resolve("order.jsonata"), text);
        sharedByThreads(text);
    }

    private void sharedByThreads(String text) throws Exception {
        OmsMappings mappings = new OmsMappings(dir);
        ObjectMapper plain = new ObjectMapper();
        int threads = 8;
        int perThread = 200;
        // what a mapping compiled for each call gives, worked out first on this thread alone
        List<List<JsonNode>> inputs = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<JsonNode> in = new ArrayList<>();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                JsonNode input = input("T" + t + "-" + i, 1 + (t + i) % 4);
                Object alone = Jsonata.jsonata(text).evaluate(plain.readValue(OrderJson.write(input), Object.class));
                in.add(input);
                out.add(OrderJson.write(OrderJson.parse(plain.writeValueAsBytes(alone))));
            }
            inputs.add(in);
            expected.add(out);
        }
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                List<String> mismatches = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String shared = OrderJson.write(
                            mappings.map("order.jsonata", inputs.get(thread).get(i)));
                    if (!shared.equals(expected.get(thread).get(i))) {
                        mismatches.add(shared + " != " + expected.get(thread).get(i));
                    }
                }
                return mismatches;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> mismatches = new ArrayList<>();
        try {
            for (Future<List<String>> f : pool.invokeAll(work)) {
                mismatches.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mismatches).isEmpty();
        // and the mapping did map: an order of three lines has three
        JsonNode three = mappings.map("order.jsonata", input("X", 3));
        assertThat(three.at("/customerOrder/customerOrderId").asText()).isEqualTo("X");
        assertThat(three.at("/customerOrder/items")).hasSize(3);
    }

    private static JsonNode input(String id, int lines) {
        ObjectNode input = OrderJson.MAPPER.createObjectNode();
        ObjectNode order = input.putObject("oms").putObject("customerOrder");
        order.put("customerOrderId", id).put("status", "CREATED").put("customerId", "C-" + id);
        ArrayNode items = order.putArray("items");
        for (int l = 0; l < lines; l++) {
            items.addObject()
                    .put("itemId", "I" + l)
                    .put("unitPrice", new java.math.BigDecimal("9.95"))
                    .put("quantityOrdered", l + 1);
        }
        input.put("readAt", "2026-11-22T10:00:00.000Z");
        input.put("businessUnitId", "S1");
        input.putObject("tenant").put("defaultCurrency", "SEK");
        return input;
    }
}
